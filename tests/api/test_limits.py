"""Rate limits (429 with Retry-After) and CORS (open for reads, closed for writes)."""

import pytest

from partnerpost.content.models import Item
from tests.api.conftest import Api


def test_reads_are_limited_per_client_address(client, people, settings):
    settings.API_READ_RATE = 3
    settings.API_RATE_WINDOW = 60
    remaining = [client.get("/api/v1/partners")["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    response = client.get("/api/v1/items")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"] == f"Too many requests: the limit is 3 per 60 seconds. Retry after {response['Retry-After']} seconds."
    # Another address has its own count.
    assert client.get("/api/v1/partners", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_forwarded_address_counts_only_behind_trusted_proxies(client, people, settings):
    settings.API_READ_RATE = 1
    assert client.get("/api/v1/partners", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    # Not trusted: a made-up X-Forwarded-For does not buy a fresh count.
    assert client.get("/api/v1/partners", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429
    settings.API_TRUSTED_PROXIES = 1
    assert client.get("/api/v1/partners", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.3").status_code == 200
    assert client.get("/api/v1/partners", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.3").status_code == 429


def test_writes_are_limited_per_token(client, people, settings, icap_token, eropa_token):
    settings.API_WRITE_RATE = 2
    icap, eropa = Api(client, icap_token[1]), Api(client, eropa_token[1])
    body = {"kind": "news", "title": "News", "summary": "Short.", "published_on": "2021-02-01"}
    assert [icap.post("/api/v1/items", body).status_code for _ in range(2)] == [201, 201]
    refused = icap.post("/api/v1/items", body)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["detail"].startswith("Too many requests: the limit is 2 per 60 seconds.")
    assert Item.objects.count() == 2  # the refused write wrote nothing
    assert eropa.post("/api/v1/items", body).status_code == 201  # another token has its own count


def test_a_limit_of_zero_turns_it_off(client, people, settings):
    settings.API_READ_RATE = 0
    responses = [client.get("/api/v1/themes") for _ in range(5)]
    assert {r.status_code for r in responses} == {200}
    assert "X-RateLimit-Limit" not in responses[0]


def test_reads_are_open_to_every_origin(client, people):
    response = client.get("/api/v1/items", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/items", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "authorization" not in preflight["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("method, headers", [
    ("POST", "content-type"), ("PATCH", "content-type"), ("DELETE", ""), ("GET", "authorization"),
])
def test_writes_and_token_reads_get_no_cors_allowance(client, people, method, headers):
    preflight = client.options("/api/v1/items", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD=method, HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers)
    assert preflight.status_code == 403
    assert not any(name.lower().startswith("access-control-") for name in preflight.headers)


def test_write_answers_carry_no_cors_header(client, people, icap_token):
    response = Api(client, icap_token[1]).post("/api/v1/items", {"kind": "news", "title": "x", "summary": "y"}, headers={"Origin": "https://example.org"})
    assert response.status_code in {201, 422}
    assert "Access-Control-Allow-Origin" not in response


def test_the_rest_of_the_site_gets_no_cors_headers(client, people):
    response = client.get("/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in response
