"""Applying to a vacancy from the public board, and the applicant's own page: a phone proved
by a one-time code (codes.py), the application itself (apply.py), and what the person sees
and withdraws (mine.py)."""
