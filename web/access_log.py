"""The server's access log names each request's path, never its query string: a search for a
person's name (`?q=`), a phone filter or a token would otherwise sit in the journal, which
docs/deploy.md promises carries no query parameters or personal data."""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class DropQueryString(logging.Filter):
    """uvicorn logs `client - "METHOD path?query HTTP/version" status`, with the path and
    its query as the third argument: the query is cut off before the line is formatted."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def hide_query_strings() -> None:
    """Install the filter once per process (each app built installs it at most once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(each, DropQueryString) for each in logger.filters):
        logger.addFilter(DropQueryString())
