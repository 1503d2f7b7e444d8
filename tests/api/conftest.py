import json

import pytest

from partnerpost.api import workflows


class Api:
    """The Django test client speaking JSON, with or without a token."""

    def __init__(self, client, secret=None):
        self.client, self.secret = client, secret

    def _headers(self, headers):
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()}
        if self.secret:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        return extra

    def get(self, path, params=None, headers=None):
        return self.client.get(path, params or {}, **self._headers(headers))

    def post(self, path, body=None, headers=None):
        return self.client.post(path, json.dumps(body if body is not None else {}), content_type="application/json", **self._headers(headers))

    def patch(self, path, body, headers=None):
        return self.client.patch(path, json.dumps(body), content_type="application/json", **self._headers(headers))


@pytest.fixture
def anon(client):
    return Api(client)


@pytest.fixture
def icap_token(people):
    """(token, secret) made by ICAP's partner editor."""
    return workflows.create_token(people.icap_partner_editor, people.icap, "ICAP website")


@pytest.fixture
def eropa_token(people):
    """(token, secret) made by a secretariat editor for EROPA."""
    return workflows.create_token(people.editor, people.eropa, "EROPA CMS")


@pytest.fixture
def icap(client, icap_token):
    return Api(client, icap_token[1])


@pytest.fixture
def eropa(client, eropa_token):
    return Api(client, eropa_token[1])
