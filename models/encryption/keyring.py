"""The keys that protect personal data at rest, and what they do: seal (AES-256-GCM) and open a
value, and compute its keyed hash (HMAC-SHA256) for lookups and uniqueness.

A sealed value is `k<key id>:<base64 of nonce + ciphertext + tag>`; the key id lets values
sealed under an old key be read while `dbjobs rotate-key` moves them to the newest one. The
column a value belongs to is bound in as associated data, so a citizen ID copied into the
phone column does not open. A keyed hash is `h<key id>:<hex digest>`: equal values give equal
hashes under one key, so the database can index them and refuse duplicates without holding
the value, and nobody without the key can test guesses against it (an unkeyed hash of the
small space of 12-digit IDs could be reversed by trying them all).

The newest key of each kind (highest id) is the current one: new values are sealed and hashed
under it; every key in the ring can still open or look up older values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from models.errors import AppError

KEY_BYTES = 32  # AES-256 and a 256-bit HMAC key
NONCE_BYTES = 12  # random per value: safe for far more values than the province will hold


class KeyConfigError(AppError):
    """The personal data keys are missing, unreadable or do not fit the data: the server
    cannot start (or a command cannot run) until an operator fixes it."""

    status_code = 500


class Keyring:
    """Encryption keys and hash keys by id; the highest id of each is current."""

    def __init__(self, encryption: Mapping[int, bytes], hashing: Mapping[int, bytes]) -> None:
        if not encryption:
            raise KeyConfigError(None, "The personal data keys have no encryption key.")
        if not hashing:
            raise KeyConfigError(None, "The personal data keys have no hash key.")
        for key_id, key in [*encryption.items(), *hashing.items()]:
            if key_id < 1 or len(key) != KEY_BYTES:
                raise KeyConfigError(
                    None,
                    "Personal data key {key_id} is not valid: every key has a whole-number id "
                    "from 1 and {size} bytes.",
                    key_id=key_id,
                    size=KEY_BYTES,
                )
        self.encryption_keys = dict(sorted(encryption.items()))
        self.hash_keys = dict(sorted(hashing.items()))
        self.current_encryption = max(self.encryption_keys)
        self.current_hash = max(self.hash_keys)
        self._ciphers = {key_id: AESGCM(key) for key_id, key in self.encryption_keys.items()}

    # --- sealing --------------------------------------------------------------------------

    def seal(self, value: str, purpose: str) -> str:
        """The value encrypted under the current key, bound to `purpose` (its column)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current_encryption].encrypt(
            nonce, value.encode(), purpose.encode()
        )
        return f"k{self.current_encryption}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, purpose: str) -> str:
        """The value a `seal` produced, under whichever key of the ring sealed it."""
        key_id = sealed_key_id(token)
        cipher = self._ciphers.get(key_id) if key_id is not None else None
        if cipher is None:
            raise UnknownKeyError(purpose, key_id)
        try:
            raw = base64.urlsafe_b64decode(token.split(":", 1)[1])
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()).decode()
        except (InvalidTag, ValueError, binascii.Error):
            raise KeyConfigError(
                None,
                "A value of {column} cannot be decrypted with personal data key {key_id}: "
                "the key file does not belong to this database.",
                column=purpose,
                key_id=key_id,
            ) from None

    # --- keyed hashes ---------------------------------------------------------------------

    def blind_index(self, value: str, purpose: str, key_id: int | None = None) -> str:
        """The keyed hash of a value under the current hash key (or `key_id`)."""
        chosen = self.current_hash if key_id is None else key_id
        digest = hmac.new(
            self.hash_keys[chosen], f"{purpose}\x00{value}".encode(), hashlib.sha256
        ).hexdigest()
        return f"h{chosen}:{digest}"

    def blind_indexes(self, value: str, purpose: str) -> list[str]:
        """The value's hash under every hash key, current first: while `rotate-key` re-hashes,
        a row may still carry its hash under the previous key."""
        ids = sorted(self.hash_keys, reverse=True)
        return [self.blind_index(value, purpose, key_id) for key_id in ids]

    # --- the key file ---------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "encryption_keys": _encoded(self.encryption_keys),
                "hash_keys": _encoded(self.hash_keys),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            data = json.loads(text)
            return cls(_decoded(data["encryption_keys"]), _decoded(data["hash_keys"]))
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
            raise KeyConfigError(
                None,
                "The personal data keys are not valid ({reason}): expected JSON with "
                '"encryption_keys" and "hash_keys", each mapping a key id to 32 bytes in base64.',
                reason=type(error).__name__,
            ) from None

    @classmethod
    def generate(cls) -> Keyring:
        return cls({1: AESGCM.generate_key(bit_length=256)}, {1: os.urandom(KEY_BYTES)})

    def with_new_keys(self, *, encryption: bool = True, hashing: bool = False) -> Keyring:
        """This ring plus a new current encryption key (and hash key, when asked)."""
        enc = dict(self.encryption_keys)
        hashes = dict(self.hash_keys)
        if encryption:
            enc[self.current_encryption + 1] = AESGCM.generate_key(bit_length=256)
        if hashing:
            hashes[self.current_hash + 1] = os.urandom(KEY_BYTES)
        return Keyring(enc, hashes)

    def without(self, encryption: set[int], hashing: set[int]) -> Keyring:
        """This ring without the given old keys (the current ones always stay)."""
        return Keyring(
            {k: v for k, v in self.encryption_keys.items()
             if k not in encryption or k == self.current_encryption},
            {k: v for k, v in self.hash_keys.items()
             if k not in hashing or k == self.current_hash},
        )  # fmt: skip


class UnknownKeyError(KeyConfigError):
    def __init__(self, purpose: str, key_id: int | None) -> None:
        super().__init__(
            None,
            "A value of {column} was encrypted with personal data key {key_id}, which is not "
            "in the configured keys.",
            column=purpose,
            key_id=key_id if key_id is not None else "?",
        )


def sealed_key_id(token: str) -> int | None:
    """The id of the key that sealed a value ("k2:..." -> 2), None when it is not sealed."""
    return _prefixed_id(token, "k")


def hash_key_id(digest: str) -> int | None:
    """The id of the hash key of a keyed hash ("h1:..." -> 1)."""
    return _prefixed_id(digest, "h")


def _prefixed_id(text: str, letter: str) -> int | None:
    head, colon, _rest = text.partition(":")
    if not colon or head[:1] != letter or not head[1:].isdigit():
        return None
    return int(head[1:])


def _encoded(keys: Mapping[int, bytes]) -> dict[str, str]:
    return {str(key_id): base64.b64encode(key).decode() for key_id, key in keys.items()}


def _decoded(keys: Mapping[str, str]) -> dict[int, bytes]:
    return {int(key_id): base64.b64decode(key, validate=True) for key_id, key in keys.items()}


# --- the process's keys ---------------------------------------------------------------------

_installed: Keyring | None = None
_reload: Callable[[], Keyring] | None = None


def install_keys(keyring: Keyring, reload: Callable[[], Keyring] | None = None) -> None:
    """Make `keyring` the one this process seals and opens with. `reload` reads the keys
    again (from the key file) when a value names a key this ring lacks: another process
    added it with `rotate-key --new-key`."""
    global _installed, _reload
    _installed, _reload = keyring, reload


def installed_keys() -> Keyring | None:
    return _installed


def keys() -> Keyring:
    """The process's keyring; the app and every command install it at start-up."""
    if _installed is None:
        raise KeyConfigError(
            None, "The personal data keys were not loaded before the database was used."
        )
    return _installed


def reload_keys() -> bool:
    """Read the keys again from where they came from; False when they cannot be."""
    global _installed
    if _reload is None:
        return False
    _installed = _reload()
    return True
