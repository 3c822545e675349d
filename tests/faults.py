"""Real faults for timeout tests: a Redis of the test's own (frozen with SIGSTOP or stopped),
a "database" that accepts connections and never answers, and one that refuses them.

The database faults replace the settings of the `default` alias that new connections are
built from (`connections.create_connection`); connections already open are left alone.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from django.db import connections

# What "answers within a second" means in a test on a loaded 2-core machine: the views'
# own deadline is 0.8 s, so this leaves room for scheduling, not for a hang.
HEALTH_BOUND = 1.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache_settings(url):
    """Kinoteka's Redis cache settings (config/settings.py) pointed at `url`."""
    return {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"kinoteka-test-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }


class OwnRedis:
    """A redis-server on a free port, for this test session only."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "32mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)  # waiting for the server to come up, not for the test
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @contextmanager
    def frozen(self):
        """The process is alive and its port open, but it answers nothing: a hung Redis."""
        os.kill(self.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.process.pid, signal.SIGCONT)

    @contextmanager
    def stopped(self):
        self.stop()
        try:
            yield
        finally:
            self.start()


def reset_breakers():
    from core import cache

    cache._breakers.clear()


@pytest.fixture(scope="session")
def redis_server():
    if not shutil.which("redis-server"):
        if os.environ.get("KINOTEKA_REQUIRE_REDIS") == "1":
            pytest.fail("KINOTEKA_REQUIRE_REDIS=1 but redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(redis_server):
    """The session's own Redis, running, with every circuit breaker closed."""
    if redis_server.process.poll() is not None:
        redis_server.start()
    reset_breakers()
    yield redis_server
    reset_breakers()


@contextmanager
def default_database_at(port):
    """New connections of the default alias go to a PostgreSQL at 127.0.0.1:`port`."""
    original = connections.settings["default"]
    connections.settings["default"] = {
        **original,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "kinoteka_unreachable",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "OPTIONS": {"connect_timeout": 2},
    }
    try:
        yield
    finally:
        connections.settings["default"] = original


@pytest.fixture
def hung_database():
    """A listening socket that completes the TCP handshake and then says nothing."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        with default_database_at(listener.getsockname()[1]):
            yield
    settle_probes()


@pytest.fixture
def refusing_database():
    with default_database_at(free_port()):
        yield
    settle_probes()


def settle_probes():
    """Let the health checks still waiting on the fault end (the socket is closed now), so
    the next test starts with no probe in flight."""
    from concurrent.futures import wait

    from ops import views

    wait(list(views._running.values()), timeout=10)
