"""person_name_word: the syllables of people's names in list order, for search by name

A search by name matched whole syllables with `LIKE '% lo %'` on every folded name, walking
the list's order until a page was found: every name for a rare syllable, and for the count.
This table holds (syllable, sort key, person id) with its primary key in that order, so a
search reads one syllable's rows in the list's order and probes the others by key. Database
triggers on `person` keep it (ORM writes, Core bulk inserts, COPY, imports and edits alike);
existing people are filled in here. The trigger text is frozen here; the models create the
same (models/tables/person_names.py).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_KEY_TYPE = sa.String(270).with_variant(sa.String(270, collation="C"), "postgresql")

_SQLITE_WORDS = """
    WITH RECURSIVE parts(word, rest) AS (
        SELECT '', {row}.name_key || ' '
        UNION ALL
        SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
        FROM parts WHERE rest <> ''
    )
    SELECT DISTINCT word FROM parts WHERE word <> ''
"""

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER person_name_word_insert AFTER INSERT ON person
    BEGIN
        INSERT INTO person_name_word (word, sort_key, person_id)
        SELECT word, new.sort_key, new.id FROM ({_SQLITE_WORDS.format(row="new")});
    END""",
    f"""CREATE TRIGGER person_name_word_update AFTER UPDATE OF id, name_key, sort_key ON person
    WHEN old.id IS NOT new.id OR old.name_key IS NOT new.name_key
        OR old.sort_key IS NOT new.sort_key
    BEGIN
        DELETE FROM person_name_word
        WHERE sort_key = old.sort_key AND person_id = old.id
            AND word IN ({_SQLITE_WORDS.format(row="old")});
        INSERT INTO person_name_word (word, sort_key, person_id)
        SELECT word, new.sort_key, new.id FROM ({_SQLITE_WORDS.format(row="new")});
    END""",
    f"""CREATE TRIGGER person_name_word_delete AFTER DELETE ON person
    BEGIN
        DELETE FROM person_name_word
        WHERE sort_key = old.sort_key AND person_id = old.id
            AND word IN ({_SQLITE_WORDS.format(row="old")});
    END""",
)

POSTGRES_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION person_name_word_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.id = NEW.id AND OLD.name_key = NEW.name_key
                AND OLD.sort_key = NEW.sort_key THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM person_name_word
            WHERE sort_key = OLD.sort_key AND person_id = OLD.id
                AND word = ANY (string_to_array(OLD.name_key, ' '));
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO person_name_word (word, sort_key, person_id)
            SELECT DISTINCT word, NEW.sort_key, NEW.id
            FROM unnest(string_to_array(NEW.name_key, ' ')) AS word WHERE word <> '';
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER person_name_word_sync
    AFTER INSERT OR DELETE OR UPDATE OF id, name_key, sort_key ON person
    FOR EACH ROW EXECUTE FUNCTION person_name_word_sync()""",
)

SQLITE_FILL = """
    INSERT OR IGNORE INTO person_name_word (word, sort_key, person_id)
    WITH RECURSIVE parts(person_id, sort_key, word, rest) AS (
        SELECT id, sort_key, '', name_key || ' ' FROM person
        UNION ALL
        SELECT person_id, sort_key, substr(rest, 1, instr(rest, ' ') - 1),
            substr(rest, instr(rest, ' ') + 1)
        FROM parts WHERE rest <> ''
    )
    SELECT word, sort_key, person_id FROM parts WHERE word <> ''
"""

POSTGRES_FILL = """
    INSERT INTO person_name_word (word, sort_key, person_id)
    SELECT DISTINCT word, person.sort_key, person.id
    FROM person, unnest(string_to_array(person.name_key, ' ')) AS word WHERE word <> ''
"""


def upgrade() -> None:
    op.create_table(
        "person_name_word",
        sa.Column("word", sa.String(length=120), nullable=False),
        sa.Column("sort_key", SORT_KEY_TYPE, nullable=False),
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("word", "sort_key", "person_id"),
        sqlite_with_rowid=False,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(POSTGRES_FILL if postgres else SQLITE_FILL)
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)
    if postgres:
        # Vacuumed now, not at autovacuum's next pass: index-only scans need the visibility map.
        with op.get_context().autocommit_block():
            op.execute("VACUUM ANALYZE person_name_word")
    else:
        op.execute("ANALYZE person_name_word")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS person_name_word_sync ON person")
        op.execute("DROP FUNCTION IF EXISTS person_name_word_sync()")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS person_name_word_{name}")
    op.drop_table("person_name_word")
