"""The shared cache through Redis (db 6 of the local server), and what happens when Redis goes away."""

import logging
import socket
import threading

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from partnerpost.network import ratelimit
from partnerpost.ops import cache as fallback
from tests.conftest import free_port

REDIS = "redis://127.0.0.1:6379/6"


class Forwarder:
    """A TCP relay to the real Redis that the test can cut and restore: Redis "going away" for our client."""

    def __init__(self, port: int, upstream=("127.0.0.1", 6379)):
        self.port, self.upstream = port, upstream
        self.sockets: list[socket.socket] = []
        self.listener = None

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(): the port stops listening now
        except OSError:
            pass
        self.listener.close()
        for end in self.sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()
        self.sockets = []


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()


def _use_cache(settings, location):
    settings.CACHES = {"default": {"BACKEND": "partnerpost.ops.cache.FallbackRedisCache", "LOCATION": location}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_sessions_rate_limits_and_pages_are_shared_through_redis(people, settings, redis_db):
    _use_cache(settings, REDIS)
    client = Client()
    client.force_login(people.editor)
    session_keys = [key for key in redis_db.keys() if b"django.contrib.sessions.cached_db" in key]
    assert len(session_keys) == 1 and client.session.session_key.encode() in session_keys[0]

    anonymous = Client()
    assert anonymous.get("/items/")["X-Page-Cache"] == "miss"
    assert anonymous.get("/items/")["X-Page-Cache"] == "hit"
    assert any(key.startswith(b":1:page:") for key in redis_db.keys())

    # Two backends stand for two processes (or machines): they count against one limit.
    one = fallback.FallbackRedisCache(REDIS, {})
    two = fallback.FallbackRedisCache(REDIS, {})
    one.add("rate:shared", 0, 60)
    assert [one.incr("rate:shared"), two.incr("rate:shared"), one.incr("rate:shared")] == [1, 2, 3]
    verdicts = [ratelimit.hit("subscribe:203.0.113.5", 2, 60).allowed for _ in range(3)]
    assert verdicts == [True, True, False]


def test_redis_going_away_degrades_to_process_memory_with_a_warning_not_a_500(people, settings, caplog):
    _use_cache(settings, f"redis://127.0.0.1:{free_port()}/6")  # nothing listens there
    caches["default"]  # a new backend for the new setting
    with caplog.at_level(logging.WARNING, logger="partnerpost.ops.cache"):
        anonymous = Client()
        assert anonymous.get("/").status_code == 200
        assert anonymous.get("/items/")["X-Page-Cache"] == "miss"
        assert anonymous.get("/items/")["X-Page-Cache"] == "hit"  # kept in this process's memory
        assert [ratelimit.hit("subscribe:203.0.113.5", 2, 60).allowed for _ in range(3)] == [True, True, False]
        editor = Client()
        editor.force_login(people.editor)  # the session goes to the database
        assert editor.get("/workspace/").status_code == 200
        assert Client().get("/readyz").json()["failing"] == ["cache"]
    warnings = [r.getMessage() for r in caplog.records if r.name == "partnerpost.ops.cache"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"The shared cache (Redis at {settings.CACHES['default']['LOCATION']}) does not "
                                  "answer (Error 111 connecting to 127.0.0.1:")
    assert warnings[0].endswith("this process uses its own memory cache until it does; rate limits and kept pages "
                                "are per process meanwhile.")


def test_a_session_signed_out_during_an_outage_stays_signed_out_when_redis_returns(
        people, settings, redis_db, monkeypatch, caplog):
    monkeypatch.setattr(fallback, "RETRY_SECONDS", 0)
    relay = Forwarder(free_port())
    relay.start()
    _use_cache(settings, f"redis://127.0.0.1:{relay.port}/6")
    editor = Client()
    editor.force_login(people.editor)
    assert editor.get("/workspace/").status_code == 200
    assert len([key for key in redis_db.keys() if b"sessions.cached_db" in key]) == 1  # Redis holds a copy

    old_cookie = editor.cookies["sessionid"].value
    relay.stop()  # Redis goes away
    with caplog.at_level(logging.WARNING, logger="partnerpost.ops.cache"):
        assert editor.post("/accounts/logout/").status_code == 302  # signed out in the database only
        assert len([key for key in redis_db.keys() if b"sessions.cached_db" in key]) == 1  # the stale copy
        relay.start()  # Redis is back
        replay = Client()  # someone who kept the signed-out session's cookie
        replay.cookies["sessionid"] = old_cookie
        response = replay.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert [key for key in redis_db.keys() if b"sessions.cached_db" in key] == []
    messages = [r.getMessage() for r in caplog.records if r.name == "partnerpost.ops.cache"]
    assert messages[-1] == (f"The shared cache (Redis at redis://127.0.0.1:{relay.port}/6) answers again; 1 session "
                            "copy(ies) changed meanwhile were dropped from it.")
    relay.stop()
