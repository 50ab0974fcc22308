"""The syllables of people's names, and each pair of them, with the person's sort key: what a
search by name walks. Kept by database triggers on `person`, so every way a person is written
(the ORM, Core bulk inserts, PostgreSQL's COPY, imports, restores of older copies through the
migration) keeps it; nothing in Python writes it.

A search of one syllable reads that syllable's rows in the list's order (sort key, person id).
A search of two reads the rows of their pair ("thi+van"): exactly the people whose name holds
both, already in the list's order, however many hold each one alone. A search of three or
more reads the pair of its two rarest syllables and probes the others by primary key. A page
costs a page's worth of index reads however many people the database holds, where
`LIKE '% lo %'` on the name read every name until a page was found (all of them for a rare
syllable, and for the count).

A name of n distinct syllables has n rows of syllables and n (n - 1) / 2 rows of pairs: 3 and
3 for "Lò Văn An", 4 and 6 for "Lò Văn An Bình"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event
from sqlmodel import Field, SQLModel

from models.tables.training import SORT_KEY_TYPE

# Joins the two syllables of a pair, the lesser first (byte order, as Python's `sorted` on
# these strings): `matching.text.search_key` turns "+" into a space, so no syllable holds it
# and a pair's key is never a syllable's.
PAIR_JOINER = "+"


def pair_key(first: str, second: str) -> str:
    """The `word` of the rows of the people whose name holds both syllables: "thi+van"."""
    return PAIR_JOINER.join(sorted((first, second)))


class PersonNameWord(SQLModel, table=True):
    """One syllable of a person's folded name (`person.name_key`): "lo", "van", "an"...; or
    one pair of its distinct syllables, joined by `PAIR_JOINER`: "an+lo", "an+van", "lo+van".
    A pair's key is no longer than the name, so it fits the column as the name does.

    No foreign key on purpose: the triggers remove a person's rows with the person, and a
    foreign key would make PostgreSQL look for a deleted person's rows by `person_id`, which
    no index here starts with."""

    __tablename__ = "person_name_word"
    __table_args__ = {"sqlite_with_rowid": False}
    word: str = Field(max_length=120, primary_key=True)
    sort_key: str = Field(primary_key=True, sa_type=SORT_KEY_TYPE)
    person_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


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


def _create_triggers(_metadata: Any, connection: Any, **_kw: Any) -> None:
    """After `create_all` (the tests' schema): the triggers the migration creates."""
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}
    if "person_name_word" not in {table.name for table in _kw.get("tables") or ()}:
        return  # already there (create_all checks first)
    for statement in statements.get(connection.dialect.name, ()):
        connection.execute(DDL(statement))


event.listen(SQLModel.metadata, "after_create", _create_triggers)
