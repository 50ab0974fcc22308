"""The keys of the personal data encrypted at rest: making a key file, and rotating keys.

Rotation in three steps (docs/deploy.md, "Personal data encryption keys"):

1. `dbjobs rotate-key --new-key` adds a new key to the key file (old keys stay);
2. restart the web server and the workers, so they seal and hash with the new key;
3. `dbjobs rotate-key` re-encrypts every value still under an older key, in batches; run it
   again after an interruption and it continues. `--retire` then removes the old keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.core import DATA, Cli, command, console
from models.encryption import Keyring, KeySource, load_keys
from models.encryption.config import create_key_file, replace_key_file
from models.encryption.rotation import DEFAULT_BATCH, rotate, stale_values


@command(
    "new-keys",
    help="Make a new personal data key file (or print one) for PERSONAL_DATA_KEY_FILE.",
    panel=DATA,
)
def new_keys(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write the keys to this file (never overwritten)."),
    ] = None,
) -> None:
    cli: Cli = ctx.obj
    keyring = Keyring.generate()
    if output is None:
        console.print(keyring.to_json(), soft_wrap=True)
        return
    if not create_key_file(output, keyring):
        cli.fail("The key file {path} exists already: it was left as it is.", path=str(output))
    cli.say(
        "Wrote new personal data keys to {path}. Back it up apart from the database backups.",
        path=str(output),
    )


@command(
    "rotate-key",
    help="Re-encrypt personal data under the newest key (--new-key first adds one).",
    panel=DATA,
)
def rotate_key(
    ctx: typer.Context,
    new_key: Annotated[
        bool, typer.Option("--new-key", help="Add a new encryption key to the key file.")
    ] = False,
    new_hash_key: Annotated[
        bool, typer.Option("--new-hash-key", help="Add a new key for the citizen ID hashes.")
    ] = False,
    retire: Annotated[
        bool, typer.Option("--retire", help="Remove old keys no stored value uses any more.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=100_000, help="Rows per transaction.")
    ] = DEFAULT_BATCH,
) -> None:
    cli: Cli = ctx.obj
    source = load_keys(cli.settings())
    if new_key or new_hash_key:
        add_keys(cli, source, encryption=new_key, hashing=new_hash_key)
        return
    with cli.engine() as engine:
        report = rotate(
            engine,
            source.keyring,
            batch_size=batch_size,
            progress=lambda table, rows: cli.say(
                "{table}: {rows} rows done.", table=table, rows=rows
            ),
        )
        for column, count in sorted(report.resealed.items()):
            cli.say("{column}: {count} values re-encrypted.", column=column, count=count)
        for column, count in sorted(report.rehashed.items()):
            cli.say("{column}: {count} hashes recomputed.", column=column, count=count)
        left = sum(stale_values(engine, source.keyring).values())
    if left:
        cli.fail(
            "{count} rows still hold values under an older key: run the command again.", count=left
        )
    cli.say(
        "Every value is under key {key} and hash key {hash_key}.",
        key=source.keyring.current_encryption,
        hash_key=source.keyring.current_hash,
    )
    if retire:
        retire_old_keys(cli, source)


def add_keys(cli: Cli, source: KeySource, *, encryption: bool, hashing: bool) -> None:
    path = writable(cli, source)
    keyring = source.keyring.with_new_keys(encryption=encryption, hashing=hashing)
    replace_key_file(path, keyring)
    cli.say(
        "Added key {key} and hash key {hash_key} to {path}. Restart the web server and the "
        "workers, then run `dbjobs rotate-key` to re-encrypt the stored values.",
        key=keyring.current_encryption,
        hash_key=keyring.current_hash,
        path=str(path),
    )


def retire_old_keys(cli: Cli, source: KeySource) -> None:
    path = writable(cli, source)
    keyring = source.keyring
    old_keys = set(keyring.encryption_keys) - {keyring.current_encryption}
    old_hash_keys = set(keyring.hash_keys) - {keyring.current_hash}
    if not old_keys and not old_hash_keys:
        cli.say("There is no old key to remove.")
        return
    kept = path.with_name(path.name + ".before-retire")
    replace_key_file(kept, keyring)
    replace_key_file(path, keyring.without(old_keys, old_hash_keys))
    cli.say(
        "Removed the old keys from {path}. Backups made before the rotation need them: the "
        "previous key file is {kept}; keep it apart from those backups as long as you keep them.",
        path=str(path),
        kept=str(kept),
    )


def writable(cli: Cli, source: KeySource) -> Path:
    if source.path is None:
        cli.fail(
            "The keys come from PERSONAL_DATA_KEYS: change them there (docs/deploy.md, "
            "“Personal data encryption keys”)."
        )
    return source.path
