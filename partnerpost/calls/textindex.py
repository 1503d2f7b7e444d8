"""The index behind the catalogue's word search: every word of `q` must occur in an entry's folded
text (`Submission.search_text`) as a substring ("port" finds "portal", "health" finds "telehealth").

The index answers exactly that, so results are the same as a scan of the text:
- SQLite: an FTS5 table with the trigram tokenizer (case-sensitive: the text and the words are both
  folded and lower-cased already), kept in line with `calls_submission` by triggers, so rows written
  any way (the workflows, bulk inserts, deletes) are indexed. A word is a quoted FTS5 string, which
  the trigram tokenizer matches as a substring; words of fewer than three characters have no
  trigram and are matched by a scan of the (already narrowed) rows.
- PostgreSQL: a GIN index of pg_trgm trigrams on `search_text`, which the planner uses for the
  same `LIKE '%word%'` the ORM writes: nothing to do at query time.

Why not the item search of discovery.search: its engine matches whole words and stems (Snowball,
porter), which would change what a catalogue search finds (substrings today); it indexes Items.
What is shared is the folding (lib.text.fold) of the text and of the query.

A table remade by a later SQLite migration loses its triggers: `ensure()` runs after every
`migrate` (apps.py) and puts them back, rebuilding the index when they were missing.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db.models.expressions import RawSQL

TABLE = "calls_submission_text"
_TRIGGERS = {
    f"{TABLE}_insert": (f"AFTER INSERT ON calls_submission BEGIN "
                        f"INSERT INTO {TABLE} (rowid, search_text) VALUES (new.id, new.search_text); END"),
    f"{TABLE}_delete": (f"AFTER DELETE ON calls_submission BEGIN "
                        f"INSERT INTO {TABLE} ({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"),
    f"{TABLE}_update": (f"AFTER UPDATE OF id, search_text ON calls_submission BEGIN "
                        f"INSERT INTO {TABLE} ({TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
                        f"INSERT INTO {TABLE} (rowid, search_text) VALUES (new.id, new.search_text); END"),
}
PG_INDEX = "calls_sub_text_trgm_idx"

#: Shorter words have no trigram: the trigram index cannot answer them.
MIN_INDEXED = 3


def ensure(connection=None) -> None:
    """Create the index (and on SQLite its triggers) where missing; fill it when it was (re)made."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s OR name IN (%s, %s, %s)", [TABLE, *_TRIGGERS])
            present = {name for (name,) in cursor.fetchall()}
            if present == {TABLE, *_TRIGGERS}:
                return
            if TABLE not in present:
                cursor.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_text, content='calls_submission', "
                               "content_rowid='id', tokenize='trigram case_sensitive 1')")
            for name, body in _TRIGGERS.items():
                if name not in present:
                    cursor.execute(f"CREATE TRIGGER {name} {body}")
            # Triggers were missing, so the index may be stale: read it again from the table.
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON calls_submission USING GIN (search_text gin_trgm_ops)")


def drop(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def containing(rows, word: str):
    """`rows` narrowed to the entries whose folded text contains `word` (folded, lower case)."""
    if default_connection.vendor == "sqlite" and len(word) >= MIN_INDEXED:
        phrase = '"' + word.replace('"', '""') + '"'
        return rows.filter(pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [phrase]))
    return rows.filter(search_text__contains=word)
