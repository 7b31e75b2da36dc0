"""Staff logins: a lock holds one account from one address, for a stated time; the admin's path comes from the environment."""
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.pages import page_text

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-1"
OFFICE = "198.51.100.20"  # one address: an office network behind NAT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every attempt checks a password; the real hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_superuser(username="alice", email="a@example.org", password=PASSWORD)


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(username="bob", password=PASSWORD, is_staff=True)


def log_in(client, username, password, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **headers,
    )


def fail_five_times(client, username, **headers):
    for _ in range(5):
        response = log_in(client, username, "wrong", **headers)
        assert response.status_code in (200, 429)


def test_five_wrong_passwords_lock_that_account_from_that_address_only(client, alice, bob):
    fail_five_times(client, "alice", REMOTE_ADDR=OFFICE)

    locked = log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    colleague = log_in(client, "bob", PASSWORD, REMOTE_ADDR=OFFICE)
    assert colleague.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200

    client.logout()
    elsewhere = log_in(client, "alice", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302


def test_four_wrong_passwords_do_not_lock(client, alice):
    for _ in range(4):
        log_in(client, "alice", "wrong", REMOTE_ADDR=OFFICE)
    assert log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 302


def test_the_lockout_page_says_how_long(client, alice):
    fail_five_times(client, "alice", REMOTE_ADDR=OFFICE)
    response = log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429
    text = page_text(response)
    assert "Sign-in paused for this account" in text
    assert "After 5 wrong passwords" in text
    assert "Try again in 15 minutes." in text
    assert "Joint Education Registry" in text  # the site's header


def test_the_lock_lasts_the_configured_time(client, alice, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    fail_five_times(client, "alice", REMOTE_ADDR=OFFICE)
    response = log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE)
    assert "Try again in 1 minute." in page_text(response)


def test_the_default_lock_is_fifteen_minutes():
    assert django_settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_each_lockout_is_logged(client, alice, caplog):
    line = f"Login locked: account 'alice' from {OFFICE} after 5 failed attempts, for 15 minutes."
    with caplog.at_level(logging.WARNING, logger="core.logins"):
        fail_five_times(client, "alice", REMOTE_ADDR=OFFICE)  # the fifth failure locks
        assert [record.getMessage() for record in caplog.records if record.name == "core.logins"] == [line]
        log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE)  # refused while locked
    assert [record.getMessage() for record in caplog.records if record.name == "core.logins"] == [line, line]


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, alice):
    """A client cannot dodge the lock by sending a new X-Forwarded-For each time."""
    for attempt in range(5):
        log_in(client, "alice", "wrong", REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    locked = log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert locked.status_code == 429


def test_behind_a_trusted_proxy_the_lock_holds_the_forwarded_address(client, alice, settings):
    settings.REGISTRY_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The client's own X-Forwarded-For entry ("spoofed") comes first; the proxy appends the real address.
    fail_five_times(client, "alice", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")

    locked = log_in(client, "alice", PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.2, 203.0.113.7")
    assert locked.status_code == 429

    other_client = log_in(client, "alice", PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other_client.status_code == 302


def test_the_admin_path_comes_from_the_environment(tmp_path):
    """DJANGO_ADMIN_PATH moves the admin (login page included); the default path is then a 404."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.urls import reverse\n"
        "client = Client()\n"
        "moved = client.get('/staff-door/')\n"
        "print(reverse('admin:index'), moved.status_code, moved['Location'])\n"
        "print(client.get('/staff-door/login/').status_code, client.get('/admin/').status_code)\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ADMIN_PATH": "/staff-door/",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": "admin-path-test",
        "DJANGO_ENV": "development",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=django_settings.BASE_DIR, env=environment,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "/staff-door/ 302 /staff-door/login/?next=/staff-door/",
        "200 404",
    ]


def test_the_admin_is_at_admin_by_default():
    assert reverse("admin:index") == "/admin/"


def test_lockouts_are_kept_in_the_shared_redis_cache(client, alice, settings):
    """In production the cache is Redis, which every worker shares: a lock made through one connection holds
    for a fresh client (as for another worker) and lives under the cache's keys, not in one process."""
    import uuid

    import redis
    from axes.handlers.proxy import AxesProxyHandler
    from django.core.cache import caches

    prefix = f"test-logins-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": prefix}}
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    AxesProxyHandler.implementation = None  # axes' handler holds the cache it was made with
    try:
        fail_five_times(client, "alice", REMOTE_ADDR=OFFICE)
        assert server.keys(f"{prefix}:*"), "the attempts are not in Redis"
        caches.close_all()  # a new connection, as another worker would have
        assert log_in(client, "alice", PASSWORD, REMOTE_ADDR=OFFICE).status_code == 429
        assert log_in(client, "bob", PASSWORD, REMOTE_ADDR=OFFICE).status_code in (200, 302)
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
        AxesProxyHandler.implementation = None
