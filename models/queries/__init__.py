"""Read-only query functions: they take a session, return plain values, and never commit."""
