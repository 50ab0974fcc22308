"""Use cases: one function per use case, keyword-only after the session, one commit each."""
