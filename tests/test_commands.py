import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_creates_one_account_with_a_random_password():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    first = out.getvalue()
    password = first.rsplit("password: ", 1)[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert len(password) >= 12

    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    assert "already exists" in out.getvalue()
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_a_second_fresh_install_gets_a_different_password():
    passwords = set()
    for _ in range(2):
        get_user_model().objects.all().delete()
        out = io.StringIO()
        call_command("ensure_admin", stdout=out)
        passwords.add(out.getvalue().rsplit("password: ", 1)[1].split()[0])
    assert len(passwords) == 2


def test_load_seeds_reports_what_it_holds():
    out = io.StringIO()
    call_command("load_seeds", stdout=out)
    assert "Seed facts loaded" in out.getvalue()
    assert "joint_institutes: 0 created, 0 changed, 2 unchanged" in out.getvalue()
