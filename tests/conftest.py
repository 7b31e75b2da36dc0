import pytest

from partnerships.seeds import load_seed_facts


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the facts of the four source articles once; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        load_seed_facts()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="staff", email="staff@example.org", password="x")
    client.force_login(user)
    return client
