"""The machine API under /api/v1 (docs/api.md): authentication by token, problem details,
idempotent writes, ETags and cursor paging, and its resources. `web.api.router` assembles it."""
