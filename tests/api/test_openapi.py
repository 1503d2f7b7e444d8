"""The API against its own OpenAPI document: the document is valid, and schemathesis fuzzes every
operation in-process (through Django's WSGI handler) with no 5xx and no answer outside the schema."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from partnerpost.api.models import ApiToken, hash_secret
from partnerpost.content.enums import ItemKind, ItemState
from tests.factories import make_item

APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)

# Every default check runs except "schema-valid data must be accepted": validity here goes beyond what
# JSON Schema can say (a cursor must carry our signature; an event needs its first day; a theme slug
# must name a theme), so a 400 or 422 for schema-valid input is the API doing its job.
EXCLUDED = [positive_data_acceptance]

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI is repeatable
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_document_is_valid_openapi_and_complete():
    schema.validate()  # against the OpenAPI 3.1 meta-schema
    raw = schema.raw_schema
    assert raw["openapi"].startswith("3.1")
    assert raw["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "pp_<prefix>_<secret>",
        "description": "A partner's API token, made on the workspace page API tokens.",
    }
    operations = {(method.upper(), path): op for path, item in raw["paths"].items() for method, op in item.items()}
    assert sorted(operations) == sorted([
        ("GET", "/api/v1/partners"), ("GET", "/api/v1/partners/{slug}"), ("GET", "/api/v1/themes"),
        ("GET", "/api/v1/items"), ("POST", "/api/v1/items"), ("GET", "/api/v1/items/{slug}"), ("PATCH", "/api/v1/items/{slug}"),
        ("POST", "/api/v1/items/{slug}/submit"), ("GET", "/api/v1/events"), ("GET", "/api/v1/editions"),
        ("GET", "/api/v1/editions/{slug}"), ("GET", "/api/v1/search"), ("GET", "/api/v1/partner"),
        ("GET", "/api/v1/partner/items"), ("GET", "/api/v1/partner/items/{slug}"),
        ("GET", "/api/v1/events/{slug}/registration"), ("POST", "/api/v1/events/{slug}/registrations"),
        ("GET", "/api/v1/calls"), ("GET", "/api/v1/calls/{slug}"), ("POST", "/api/v1/calls/{slug}/submissions"),
        ("GET", "/api/v1/calls/{slug}/entries"),
    ])
    for (method, path), op in operations.items():
        codes = set(op["responses"])
        assert "429" in codes, (method, path)
        assert "422" in codes or path == "/api/v1/themes", (method, path)
        assert "Retry-After" in op["responses"]["429"]["headers"]
        if method == "GET":
            assert {"200", "304"} <= codes and "content" not in op["responses"]["304"], (method, path)
        if "security" in op:
            assert op["security"] == [{"BearerToken": []}] and "401" in codes
    assert "security" not in operations[("GET", "/api/v1/items")]
    assert operations[("POST", "/api/v1/items")]["security"] == [{"BearerToken": []}]
    assert set(operations[("PATCH", "/api/v1/items/{slug}")]["responses"]) == {"200", "400", "401", "404", "409", "413", "422", "429"}


def test_docs_page_is_served_without_inline_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html
    # Every script is either external or a JSON data block the browser does not execute.
    for tag in html.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert 'src="' in head or 'type="application/json"' in head, head
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.fixture
def in_process():
    """Requests go through Django's WSGI handler, which closes the database connection after each
    one; inside a test's transaction that would end the test (on PostgreSQL). Django's own test
    client stops that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(people, settings, in_process):
    settings.API_READ_RATE = settings.API_WRITE_RATE = 0  # the fuzzer sends far more than a client should
    make_item(people.icap, state=ItemState.PUBLISHED, title="Published news")
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Published event", start_date=dt.date(2020, 11, 3))
    make_item(people.icap, title="A draft")
    # A token with a secret known in advance: schemathesis builds some requests while collecting tests.
    ApiToken.objects.create(partner=people.icap, name="Fuzzer", prefix=FUZZ_SECRET.split("_")[1],
                            key_hash=hash_secret(FUZZ_SECRET), created_by=people.icap_partner_editor)
    return {"people": people}


@schema.include(tag="Public reads").parametrize()
@FUZZ
def test_public_reads_survive_fuzzing(case, fuzz_data):
    case.call_and_validate(excluded_checks=EXCLUDED)


token_schema = schema.include(tag="Partner (token)")
FUZZ_SECRET = "pp_f0220000_" + "Fz" * 22


@token_schema.auth(refresh_interval=None)
class FuzzerToken:
    """The valid token of the test's partner; schemathesis leaves it out itself to check that auth is enforced."""

    def get(self, case, context):
        return FUZZ_SECRET

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@token_schema.parametrize()
@FUZZ
def test_token_operations_survive_fuzzing(case, fuzz_data):
    case.call_and_validate(excluded_checks=EXCLUDED)
    if case.path_parameters and "slug" in case.path_parameters:
        # Most generated slugs name nothing: send the same request for a real draft of the token's partner too.
        case.path_parameters["slug"] = make_item(fuzz_data["people"].icap, title="Fuzzed draft").slug
        response = case.call()
        case.validate_response(response, checks=[
            not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance])
