"""Admin logins are rate-limited by django-axes and the API by a throttle no header dodges; the public never needs to log in."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_repeated_failed_logins_lock_the_admin(client, django_user_model, settings):
    django_user_model.objects.create_superuser(username="editor", email="e@example.org", password="right-password-1")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "editor", "password": "wrong", "next": "/admin/"})
    locked = client.post(url, {"username": "editor", "password": "right-password-1", "next": "/admin/"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works(client, django_user_model):
    django_user_model.objects.create_superuser(username="editor", email="e@example.org", password="right-password-1")
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "right-password-1", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/programs/", "/institutes/", "/institutions/", "/agreements/", "/data/", "/api/"])
def test_public_pages_need_no_login(client, url):
    assert client.get(url).status_code == 200



@pytest.fixture
def three_requests_a_minute(settings):
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    cache.clear()
    yield
    cache.clear()


def test_x_forwarded_for_does_not_dodge_the_api_throttle(client, three_requests_a_minute):
    statuses = [
        client.get("/api/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_throttle_counts_each_forwarded_client(client, settings, three_requests_a_minute):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    statuses = [
        client.get("/api/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 2}").status_code
        for n in range(8)
    ]
    assert statuses == [200] * 6 + [429] * 2
