"""person_name_word: each pair of a name's syllables too, for searches of two or more words

A search of two syllables walked the rows of the rarer one and probed each for the other:
two syllables that many people hold and few hold both ("van thi") read every row of the
rarer one, however few people matched, and more as the data grows. The table now holds, for
each name, every pair of its distinct syllables as well, the two joined by "+" in byte order
("thi+van"; no syllable holds "+"): a search of two syllables walks exactly the people holding
both, in list order, and one of three or more walks the pair of its two rarest. The triggers
on `person` now write and remove the pairs too; the pairs of the people stored are filled in
here. The trigger text is frozen here (this one and 0024's, for the downgrade); the models
create the same (models/tables/person_names.py).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The rows' words of a folded name (single-spaced, trimmed: `matching.text.search_key`): its
# distinct syllables, then each pair of them, lesser first (SQLite compares text bytewise).
_SQLITE_WORDS = """
    WITH RECURSIVE parts(word, rest) AS (
        SELECT '', {row}.name_key || ' '
        UNION ALL
        SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
        FROM parts WHERE rest <> ''
    ),
    syllables(word) AS (SELECT DISTINCT word FROM parts WHERE word <> '')
    SELECT word FROM syllables
    UNION ALL
    SELECT lesser.word || '+' || greater.word
    FROM syllables AS lesser JOIN syllables AS greater ON lesser.word < greater.word
"""


def _sqlite_triggers(words: str) -> tuple[str, ...]:
    """The three triggers on `person` that keep a name's rows, `words` listing them."""
    return (
        f"""CREATE TRIGGER person_name_word_insert AFTER INSERT ON person
    BEGIN
        INSERT INTO person_name_word (word, sort_key, person_id)
        SELECT word, new.sort_key, new.id FROM ({words.format(row="new")});
    END""",
        f"""CREATE TRIGGER person_name_word_update AFTER UPDATE OF id, name_key, sort_key ON person
    WHEN old.id IS NOT new.id OR old.name_key IS NOT new.name_key
        OR old.sort_key IS NOT new.sort_key
    BEGIN
        DELETE FROM person_name_word
        WHERE sort_key = old.sort_key AND person_id = old.id
            AND word IN ({words.format(row="old")});
        INSERT INTO person_name_word (word, sort_key, person_id)
        SELECT word, new.sort_key, new.id FROM ({words.format(row="new")});
    END""",
        f"""CREATE TRIGGER person_name_word_delete AFTER DELETE ON person
    BEGIN
        DELETE FROM person_name_word
        WHERE sort_key = old.sort_key AND person_id = old.id
            AND word IN ({words.format(row="old")});
    END""",
    )


SQLITE_TRIGGERS = _sqlite_triggers(_SQLITE_WORDS)

POSTGRES_TRIGGERS = (
    # The rows' words of a folded name: its distinct syllables, then each pair of them, lesser
    # first in byte order ("C", whatever the database's collation: Python's order too).
    """CREATE OR REPLACE FUNCTION person_name_words(name_key text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE AS $$
        WITH syllables AS (
            SELECT DISTINCT word FROM unnest(string_to_array(name_key, ' ')) AS word
            WHERE word <> ''
        )
        SELECT word FROM syllables
        UNION ALL
        SELECT lesser.word || '+' || greater.word
        FROM syllables AS lesser JOIN syllables AS greater
            ON lesser.word COLLATE "C" < greater.word COLLATE "C"
    $$""",
    """CREATE OR REPLACE FUNCTION person_name_word_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.id = NEW.id AND OLD.name_key = NEW.name_key
                AND OLD.sort_key = NEW.sort_key THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM person_name_word
            WHERE sort_key = OLD.sort_key AND person_id = OLD.id
                AND word = ANY (ARRAY(SELECT person_name_words(OLD.name_key)));
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO person_name_word (word, sort_key, person_id)
            SELECT word, NEW.sort_key, NEW.id FROM person_name_words(NEW.name_key) AS word;
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER person_name_word_sync
    AFTER INSERT OR DELETE OR UPDATE OF id, name_key, sort_key ON person
    FOR EACH ROW EXECUTE FUNCTION person_name_word_sync()""",
)


# 0024's triggers: syllables only.
_OLD_SQLITE_WORDS = """
    WITH RECURSIVE parts(word, rest) AS (
        SELECT '', {row}.name_key || ' '
        UNION ALL
        SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
        FROM parts WHERE rest <> ''
    )
    SELECT DISTINCT word FROM parts WHERE word <> ''
"""

OLD_SQLITE_TRIGGERS = _sqlite_triggers(_OLD_SQLITE_WORDS)

OLD_POSTGRES_TRIGGERS = (
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
    ),
    syllables(person_id, sort_key, word) AS (
        SELECT DISTINCT person_id, sort_key, word FROM parts WHERE word <> ''
    )
    SELECT lesser.word || '+' || greater.word, lesser.sort_key, lesser.person_id
    FROM syllables AS lesser JOIN syllables AS greater
        ON greater.person_id = lesser.person_id AND lesser.word < greater.word
"""

POSTGRES_FILL = """
    INSERT INTO person_name_word (word, sort_key, person_id)
    SELECT word, person.sort_key, person.id
    FROM person, person_name_words(person.name_key) AS word
    WHERE strpos(word, '+') > 0
"""

# Pairs hold "+", syllables never do.
DROP_PAIRS = "DELETE FROM person_name_word WHERE word LIKE '%+%'"


def _drop_triggers(postgres: bool) -> None:
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS person_name_word_sync ON person")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS person_name_word_{name}")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_triggers(postgres)
    for statement in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(statement)
    op.execute(POSTGRES_FILL if postgres else SQLITE_FILL)
    if postgres:
        # Vacuumed now, not at autovacuum's next pass: index-only scans need the visibility map.
        with op.get_context().autocommit_block():
            op.execute("VACUUM ANALYZE person_name_word")
    else:
        op.execute("ANALYZE person_name_word")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_triggers(postgres)
    op.execute(DROP_PAIRS)
    for statement in OLD_POSTGRES_TRIGGERS if postgres else OLD_SQLITE_TRIGGERS:
        op.execute(statement)
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS person_name_words(text)")
