"""Finding 10 (API): a write body over the limit is a JSON 413 that says so, not a 500 or an HTML page."""

import json

import pytest

from partnerpost.api import workflows
from partnerpost.content.models import Item
from tests.factories import make_item


@pytest.fixture
def secret(people):
    return workflows.create_token(people.icap_partner_editor, people.icap, "ICAP website")[1]


def _big(size):
    return json.dumps({"kind": "news", "title": "Big", "summary": "Big.", "body": "a" * size})


def test_create_over_the_limit_is_a_json_413(client, secret):
    response = client.post("/api/v1/items", _big(11 * 1024 * 1024), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "The request body is larger than the 10 MB the API accepts; send less (images and documents are not "
                  "uploaded through the API).",
        "errors": {"body": ["At most 10 MB."]},
    }
    assert not Item.objects.exists()


def test_patch_over_a_lower_limit_is_a_json_413(client, people, secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    item = make_item(people.icap, title="Draft")
    response = client.patch(f"/api/v1/items/{item.slug}", _big(3 * 1024 * 1024), content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 413
    assert response.json()["errors"] == {"body": ["At most 2 MB."]}
    assert Item.objects.get(pk=item.pk).body == ""


def test_a_body_under_the_limit_is_read(client, secret):
    response = client.post("/api/v1/items", _big(1024), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201, response.content
