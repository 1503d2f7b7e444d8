import pytest

from partnerpost.content import demo
from partnerpost.editions import demo as edition_demo


@pytest.fixture
def demo_edition(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    return edition_demo.load(log=lambda *_: None)
