"""The syllables of people's names, each with the person's sort key: what a search by name
walks. Kept by database triggers on `person`, so every way a person is written (the ORM, Core
bulk inserts, PostgreSQL's COPY, imports, restores of older copies through the migration) keeps
it; nothing in Python writes it.

A search reads one typed syllable's rows in the list's order (sort key, person id) and probes
the other syllables by primary key: a page costs a page's worth of index reads however many
people the database holds, where `LIKE '% lo %'` on the name read every name until a page
was found (all of them for a rare syllable, and for the count)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event
from sqlmodel import Field, SQLModel

from models.tables.training import SORT_KEY_TYPE


class PersonNameWord(SQLModel, table=True):
    """One syllable of a person's folded name (`person.name_key`): "lo", "van", "an"...

    No foreign key on purpose: the triggers remove a person's rows with the person, and a
    foreign key would make PostgreSQL look for a deleted person's rows by `person_id`, which
    no index here starts with."""

    __tablename__ = "person_name_word"
    __table_args__ = {"sqlite_with_rowid": False}
    word: str = Field(max_length=120, primary_key=True)
    sort_key: str = Field(primary_key=True, sa_type=SORT_KEY_TYPE)
    person_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


# The syllables of a folded name (single-spaced, trimmed: `matching.text.search_key`).
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


def _create_triggers(_metadata: Any, connection: Any, **_kw: Any) -> None:
    """After `create_all` (the tests' schema): the triggers the migration creates."""
    statements = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}
    if "person_name_word" not in {table.name for table in _kw.get("tables") or ()}:
        return  # already there (create_all checks first)
    for statement in statements.get(connection.dialect.name, ()):
        connection.execute(DDL(statement))


event.listen(SQLModel.metadata, "after_create", _create_triggers)
