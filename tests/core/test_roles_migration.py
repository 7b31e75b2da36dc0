"""The staff roles exist in every database, made by the migrations, with exactly their powers."""
import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{perm.content_type.app_label}.{perm.codename}" for perm in group.permissions.select_related("content_type")}


def test_an_editor_adds_and_changes_records_but_cannot_publish_or_delete_them():
    perms = permissions_of("Editor")
    assert {"partnerships.add_program", "partnerships.change_program", "catalog.change_institution"} <= perms
    assert "partnerships.delete_program" not in perms
    assert "core.publish_records" not in perms
    # Removing a partner from a program is an edit of the program, not a deletion of a record.
    assert "partnerships.delete_programpartner" in perms


def test_a_publisher_also_publishes_deletes_and_approves():
    perms = permissions_of("Publisher")
    assert permissions_of("Editor") < perms
    assert {"core.publish_records", "partnerships.delete_program", "catalog.delete_source"} <= perms


def test_a_viewer_only_views():
    perms = permissions_of("Viewer")
    assert "partnerships.view_program" in perms
    assert all(perm.split(".")[1].startswith("view_") for perm in perms)


def test_official_catalogues_are_read_only_to_every_role():
    for role in ("Editor", "Publisher", "Viewer"):
        assert "catalog.change_discipline" not in permissions_of(role)
        assert "catalog.view_discipline" in permissions_of(role)
