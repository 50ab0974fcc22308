"""Where the site may send the reader back to after a form: only a path on this site."""

from __future__ import annotations


def safe_local_path(target: str | None) -> str | None:
    """Only a path on this site: '/x?y' passes; 'https://evil', '//evil' and '/\\evil' (which
    browsers read as another host) do not, so the switch cannot redirect anywhere else."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\r\n\\"):
        return None
    return target
