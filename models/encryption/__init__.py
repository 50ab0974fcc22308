"""Personal data at rest: citizen IDs and phone numbers are stored encrypted (AES-256-GCM,
with keys kept outside the database) and citizen IDs are found and kept unique through a
keyed hash (HMAC-SHA256). `keyring` holds the keys and the cryptography, `config` where the
keys come from, `columns` the column type that makes it transparent, `rotation` moving every
value to new keys (`dbjobs rotate-key`)."""

from models.encryption.columns import (
    HASH_LENGTH,
    KeyedHash,
    SealedString,
    hash_of,
    open_sealed,
    stored_rows,
)
from models.encryption.config import KeySource, ensure_keys, load_keys, use_keys
from models.encryption.keyring import (
    KeyConfigError,
    Keyring,
    install_keys,
    installed_keys,
    keys,
)

# What each sealed column binds its values to, and the keyed hash of citizen IDs.
PERSON_CITIZEN_ID = "person.citizen_id"
PERSON_PHONE = "person.phone"
EMPLOYER_PHONE = "employer.phone"
INSTITUTION_PHONE = "institution.phone"
PERSON_CHANGE_VALUE = "person_change.value"  # old and new phones in a person's history
OUTBOX_RECIPIENT = "outbox.recipient"

__all__ = [
    "EMPLOYER_PHONE",
    "HASH_LENGTH",
    "INSTITUTION_PHONE",
    "OUTBOX_RECIPIENT",
    "PERSON_CHANGE_VALUE",
    "PERSON_CITIZEN_ID",
    "PERSON_PHONE",
    "KeyConfigError",
    "KeySource",
    "KeyedHash",
    "Keyring",
    "SealedString",
    "ensure_keys",
    "hash_of",
    "install_keys",
    "installed_keys",
    "keys",
    "load_keys",
    "open_sealed",
    "stored_rows",
    "use_keys",
]
