import pytest


@pytest.fixture
def worked(transactional_db):
    """Tests that run the worker commit for real, as the worker does between tasks; the search tables (not Django
    models, so not flushed by the test runner) are emptied afterwards."""
    yield
    from partnerpost.discovery import search

    search.backend().clear()
    search.backend("edition").clear()
