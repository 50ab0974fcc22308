"""Durable background work: a job table that workers in any process or on any host claim
(``queue``), and the loop that runs the claimed jobs (``worker``). The kinds of work and what
each runs are registered by the web layer (web/services/jobs.py), which also starts the
in-process worker; ``dbjobs worker`` runs the same loop beside the server."""
