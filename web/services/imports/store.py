"""Pending imports kept on the server between upload, preview and confirmation: JSON files in
a folder (settings.import_dir, by default var/imports), named by a random token
and bound to the user who uploaded the file.

Each import has a small state file (status, progress, summary) that the progress page polls,
and larger files beside it: the uploaded workbook until it is read, the rows read from it,
and the validation report. A confirmation claims the import by creating a lock file with
O_EXCL, which exactly one request can do, so a double submit never writes twice.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from models.clock import utcnow
from models.settings import Settings

KEEP_FOR = timedelta(days=7)  # finished and abandoned imports are deleted after this
PREVIEW_VALID_FOR = timedelta(hours=24)  # a preview older than this must be uploaded again
STALLED_AFTER = timedelta(minutes=15)  # a job without progress this long was interrupted
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_update_lock = threading.Lock()


class Status:
    VALIDATING = "validating"
    INVALID = "invalid"  # the file or some rows are wrong: nothing can be written
    READY = "ready"  # valid: waiting for the user's confirmation
    WRITING = "writing"
    DONE = "done"
    FAILED = "failed"


IN_PROGRESS = (Status.VALIDATING, Status.WRITING)


@dataclass
class ImportState:
    """What the pages need to know about one import; no personal data."""

    token: str
    user_id: int
    kind: str  # trainees | results
    course_id: int
    institution_id: int
    filename: str
    file_sha256: str
    created_at: str
    updated_at: str = ""
    status: str = Status.VALIDATING
    phase: str = "reading"  # reading | checking | writing
    done: int = 0
    total: int = 0
    rows: int = 0
    error_rows: int = 0
    file_errors: list[dict[str, Any]] = field(default_factory=list)  # {msgid, params}
    summary: dict[str, int] = field(default_factory=dict)
    message: dict[str, Any] | None = None  # why it failed: {msgid, params}
    duplicate_of: str | None = None  # token of an earlier, finished import of the same file

    def is_stalled(self, now: datetime | None = None) -> bool:
        if self.status not in IN_PROGRESS:
            return False
        updated = datetime.fromisoformat(self.updated_at or self.created_at)
        return (now or utcnow()) - updated > STALLED_AFTER

    def is_expired(self, now: datetime | None = None) -> bool:
        created = datetime.fromisoformat(self.created_at)
        return self.status == Status.READY and (now or utcnow()) - created > PREVIEW_VALID_FOR


class ImportStore:
    """The folder of pending and finished imports."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, token: str, suffix: str) -> Path:
        if not _TOKEN.match(token):
            raise ValueError("not an import token")
        return self.root / f"{token}.{suffix}"

    def _write_json(self, path: Path, value: Any) -> None:
        """Write beside the target and rename over it: a reader never sees half a file."""
        self.root.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
        partial.write_text(json.dumps(value, ensure_ascii=False, default=str), "utf-8")
        os.replace(partial, path)

    def new_token(self) -> str:
        return secrets.token_urlsafe(24)

    def save(self, state: ImportState) -> None:
        state.updated_at = utcnow().isoformat()
        self._write_json(self._path(state.token, "json"), asdict(state))

    def load(self, token: str) -> ImportState | None:
        try:
            path = self._path(token, "json")
            return ImportState(**json.loads(path.read_text("utf-8")))
        except (ValueError, OSError, TypeError):
            return None

    def update(self, token: str, **changes: Any) -> ImportState | None:
        """Change some fields of a state (threads of this process take turns)."""
        with _update_lock:
            state = self.load(token)
            if state is None:
                return None
            for name, value in changes.items():
                setattr(state, name, value)
            self.save(state)
            return state

    def save_part(self, token: str, part: str, value: Any) -> None:
        self._write_json(self._path(token, f"{part}.json"), value)

    def load_part(self, token: str, part: str) -> Any:
        try:
            return json.loads(self._path(token, f"{part}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def save_upload(self, token: str, data: bytes) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self._path(token, "xlsx").write_bytes(data)

    def take_upload(self, token: str) -> bytes:
        """The uploaded workbook, removed from the folder once read."""
        path = self._path(token, "xlsx")
        data = path.read_bytes()
        path.unlink(missing_ok=True)
        return data

    def claim(self, token: str) -> bool:
        """True for the one caller that creates the lock file; False for every other."""
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(self._path(token, "lock"), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.close(handle)
        return True

    def for_user(self, user_id: int, limit: int = 20) -> list[ImportState]:
        """The user's imports still kept, newest first."""
        if not self.root.exists():
            return []
        found = []
        for path in self.root.glob("*.json"):
            if path.name.count(".") != 1:
                continue  # a part file (rows, report), not a state
            state = self.load(path.stem)
            if state is not None and state.user_id == user_id:
                found.append(state)
        found.sort(key=lambda state: state.created_at, reverse=True)
        return found[:limit]

    def purge(self, older_than: timedelta = KEEP_FOR) -> int:
        """Delete the files of imports untouched for `older_than`; returns how many files."""
        if not self.root.exists():
            return 0
        # Compared with the files' modification times, so on the file system's clock.
        cutoff = time.time() - older_than.total_seconds()  # clock: file times
        removed = 0
        for path in self.root.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def store_for(settings: Settings) -> ImportStore:
    return ImportStore(settings.import_dir)
