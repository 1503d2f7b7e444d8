"""Query plans in tests: a list that must be read in an index's order, not sorted, at any size."""

import re

from django.db import connection


def plan_of(sql: str, params=None, *, discourage_scans: bool = False) -> str:
    """The statement's plan as one line of steps (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN).
    `discourage_scans`: on PostgreSQL, sequential scans and sorts are made as dear as the planner allows (inside a
    transaction), so a small test table cannot hide a missing index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " | ".join(str(row[-1]) for row in cursor.fetchall())
        if discourage_scans:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return " | ".join(row[0] for row in cursor.fetchall())


def assert_read_in_index_order(sql: str, leading_only: bool = False) -> str:
    """The statement's ORDER BY is served by an index: no sort step in its plan. On PostgreSQL, sorting and
    sequential scans are made as dear as the planner allows, so a small test table cannot hide a missing index.
    `leading_only`: the index gives the first key of the order; ties on it may be sorted among themselves
    (SQLite's "RIGHT PART OF ORDER BY", PostgreSQL's incremental sort). Returns the plan."""
    plan = plan_of(sql, discourage_scans=True)
    if connection.vendor == "sqlite":
        sorts = plan.replace("TEMP B-TREE FOR RIGHT PART OF ORDER BY", "") if leading_only else plan
        assert "TEMP B-TREE" not in sorts, plan
    elif leading_only:  # no full sort node ("Sort  (cost=..."); an incremental one is allowed
        assert not re.search(r"(?<!Incremental )Sort  \(", plan), plan
    else:
        assert "Sort" not in plan, plan
    return plan
