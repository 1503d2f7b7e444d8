"""Full-text search behind one interface, with two engines.

- analysis: what matches (accents folded, stemming, the words of a query);
- engine: what both engines share, and ``backend()``, the engine of the database in use;
- sqlite, postgres: the two engines (FTS5; tsvector under GIN);
- indexing: filling the index and keeping it in line (its signal receivers are connected on import);
- query: ``search()`` with ranking and facets, ``search_editions()``.

Tunables (CANDIDATES, RANK_POOL, TITLE_POOL) live in ``query``: change them there.
"""

from .analysis import MAX_WORDS, SNOWBALL, fold, stemmed, terms
from .engine import HIT_CLOSE, HIT_OPEN, Entry, Matches, backend
from .indexing import edition_row, index_edition, rebuild, refresh, refresh_ids
from .postgres import PostgresBackend
from .query import CANDIDATES, FACET_LABELS, FACETS, RANK_POOL, TITLE_POOL, Hit, Results, search, search_editions
from .sqlite import SQLITE_TOKENIZER, SQLiteBackend

__all__ = [
    "CANDIDATES", "FACETS", "FACET_LABELS", "HIT_CLOSE", "HIT_OPEN", "MAX_WORDS", "RANK_POOL", "SNOWBALL",
    "SQLITE_TOKENIZER", "TITLE_POOL", "Entry", "Hit", "Matches", "PostgresBackend", "Results", "SQLiteBackend", "backend",
    "edition_row", "fold", "index_edition", "rebuild", "refresh", "refresh_ids", "search", "search_editions", "stemmed", "terms",
]
