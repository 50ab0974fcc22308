"""`python -m cli` runs the same commands as `dbjobs`."""

from cli.main import app

app(prog_name="dbjobs")
