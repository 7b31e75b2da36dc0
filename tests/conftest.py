import pytest
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate

from catalog.disciplines import sync_disciplines
from core.roles import grant
from tests.seeds import load_seed_facts


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the facts of the four source articles once; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        load_seed_facts()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The Chinese pages need the compiled .mo files (not committed; make setup builds them): compile any
    that are missing or older than their .po, so running pytest directly tests the current translations."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    stale = [po for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po")
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        from django.core.management import CommandError

        try:
            call_command("compilemessages", locale=[po.parts[-3] for po in stale], ignore=[".venv", "tests", "bench"],
                         verbosity=0)
        except CommandError as error:  # no msgfmt: only the Chinese pages' tests fail
            import warnings

            warnings.warn(f"Translations not compiled ({error}); install gettext or run make setup.")


@pytest.fixture(scope="session", autouse=True)
def migration_data_back_after_flush():
    """Transactional and live-server tests end by flushing the database: the migrations' catalogues and roles too.

    Load them back right after each flush, as Django does for content types and permissions
    (whose handlers run first), so any later test (or fixture teardown) finds them.
    """
    def resync(sender, using, apps=global_apps, **kwargs):
        if sender.label == "catalog":
            sync_disciplines(model=apps.get_model("catalog", "Discipline"), using=using)
        if sender.label in ("core", "catalog", "partnerships"):
            grant(global_apps, sender.label, create_permissions=False)

    post_migrate.connect(resync, dispatch_uid="tests-migration-data-back-after-flush")
    yield
    post_migrate.disconnect(dispatch_uid="tests-migration-data-back-after-flush")


@pytest.fixture(autouse=True)
def registry_cache(monkeypatch):
    """Each test starts with an empty cache (login attempts, throttle counts, cached pages), and a write
    bumps the cached pages' data version at once: a test's transaction never commits, so the on-commit bump would never run (tests/core/test_cache.py
    overrides this fixture to test the real on-commit behaviour)."""
    from django.core.cache import cache

    import core.cache

    cache.clear()
    monkeypatch.setattr(core.cache, "_state", {"down_until": 0.0, "bump_pending": False})
    monkeypatch.setattr(core.cache, "schedule_bump", lambda using=None: core.cache.bump_data_version())
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request to a /zh-hans/ page leaves Chinese active in the thread; the next test starts in English."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="staff", email="staff@example.org", password="x")
    client.force_login(user)
    return client


def _member_of(django_user_model, role: str):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username=role.lower(), password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(django_user_model):
    return _member_of(django_user_model, "Editor")


@pytest.fixture
def publisher(django_user_model):
    return _member_of(django_user_model, "Publisher")


@pytest.fixture
def viewer(django_user_model):
    return _member_of(django_user_model, "Viewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client
