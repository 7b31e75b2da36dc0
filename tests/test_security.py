"""Admin logins are rate-limited by django-axes; the public never needs to log in."""
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

