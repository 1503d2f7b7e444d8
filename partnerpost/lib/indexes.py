"""Index changes that a large table takes while it is in use, for migrations.

On PostgreSQL the index is built and the old one dropped CONCURRENTLY: writes to the table go on
meanwhile (a migration that uses this must say ``atomic = False``). Elsewhere, the schema editor's
plain DDL. The new index is in place before the old one goes, so queries never run without one.
Works on the objects it is given (a historical model, Django ``Index`` objects, the schema editor)
and imports nothing from Django, like the rest of ``lib``.
"""

from __future__ import annotations


def swap_index(schema_editor, model, add=None, drop=None) -> None:
    """Create the index `add` (plain fields only) and remove `drop`, either of which may be None."""
    if schema_editor.connection.vendor != "postgresql":
        if add is not None:
            schema_editor.add_index(model, add)
        if drop is not None:
            schema_editor.remove_index(model, drop)
        return
    quote = schema_editor.quote_name
    if add is not None:
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in add.fields)
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(add.name)} ON {quote(model._meta.db_table)} ({columns})")
    if drop is not None:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(drop.name)}")
