"""Query plans in tests: a list that must be read in an index's order, not sorted, at any size."""

from django.db import connection


def assert_read_in_index_order(sql: str) -> None:
    """The statement's ORDER BY is served by an index: no sort step in its plan. On PostgreSQL, sorting and
    sequential scans are made as dear as the planner allows, so a small test table cannot hide a missing index."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan, plan
        else:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert "Sort" not in plan, plan
