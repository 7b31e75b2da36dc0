"""The discipline catalogues come with the schema (migration 0003) and stay current (sync_disciplines)."""
import csv
import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.functions import Length

from catalog.disciplines import DISCIPLINES_CSV, sync_disciplines
from catalog.models import Discipline

pytestmark = pytest.mark.django_db

MIGRATION = ("catalog", "0003_load_disciplines")
ROWS_IN_FILE = sum(1 for _ in DISCIPLINES_CSV.open(encoding="utf-8")) - 1


def write_catalogue(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def file_rows(*keys):
    with DISCIPLINES_CSV.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if (row["catalogue"], row["code"]) in keys]


def test_a_migrated_database_has_the_catalogues():
    assert MIGRATION in MigrationLoader(connection).applied_migrations
    discipline = Discipline.objects.get(catalogue="cn-grad", code="0812")
    assert discipline.native_name == "计算机科学与技术"
    assert (discipline.parent.catalogue, discipline.parent.code) == ("cn-grad", "08")


def test_the_migration_fills_an_empty_table_with_its_historical_model():
    # Longest codes first: a child's code extends its parent's, and a parent is protected while it has children.
    by_length = Discipline.objects.annotate(length=Length("code"))
    for length in sorted(set(by_length.values_list("length", flat=True)), reverse=True):
        by_length.filter(length=length).delete()
    historical = MigrationLoader(connection).project_state(MIGRATION, at_end=True).apps
    migration = importlib.import_module("catalog.migrations.0003_load_disciplines")

    migration.load_catalogues(historical, SimpleNamespace(connection=connection))

    assert Discipline.objects.count() == ROWS_IN_FILE
    assert Discipline.objects.get(catalogue="cn-ug", code="080905").parent.code == "0809"


def test_syncing_again_changes_nothing():
    report = sync_disciplines(model=Discipline)
    assert (report.created, report.changed, report.unchanged) == (0, 0, ROWS_IN_FILE)


def test_a_changed_row_is_updated_and_reported(tmp_path):
    engineering, computing = file_rows(("cn-grad", "08"), ("cn-grad", "0812"))
    computing["name"] = "Computer Science"
    new = {**computing, "code": "0899", "name": "Something New", "native_name": "新学科"}
    path = write_catalogue(tmp_path / "disciplines.csv", [engineering, computing, new])

    report = sync_disciplines(model=Discipline, path=path)

    assert (report.created, report.changed, report.unchanged) == (1, 1, 1)
    assert Discipline.objects.get(catalogue="cn-grad", code="0812").name == "Computer Science"
    assert Discipline.objects.get(catalogue="cn-grad", code="0899").parent.code == "08"
    # Rows the file no longer lists are kept: programs may cite them.
    assert report.not_in_file == ROWS_IN_FILE - 2
    assert Discipline.objects.count() == ROWS_IN_FILE + 1


def test_a_row_whose_parent_is_missing_is_refused(tmp_path):
    path = write_catalogue(tmp_path / "disciplines.csv", file_rows(("cn-grad", "0812")))
    with pytest.raises(ValueError, match="cn-grad:0812"):
        sync_disciplines(model=Discipline, path=path)


def test_a_row_breaking_a_field_rule_is_refused_by_key(tmp_path):
    engineering, computing = file_rows(("cn-grad", "08"), ("cn-grad", "0812"))
    computing["rank"] = "galaxy"
    path = write_catalogue(tmp_path / "disciplines.csv", [engineering, computing])
    with pytest.raises(ValueError, match="cn-grad:0812.*galaxy"):
        sync_disciplines(model=Discipline, path=path)


def test_the_command_prints_the_counts():
    out = io.StringIO()
    call_command("sync_disciplines", stdout=out)
    assert f"0 created, 0 changed, {ROWS_IN_FILE} unchanged" in out.getvalue()


def test_the_command_dry_run_writes_nothing(tmp_path):
    engineering, computing = file_rows(("cn-grad", "08"), ("cn-grad", "0812"))
    computing["name"] = "Computer Science"
    path = write_catalogue(tmp_path / "disciplines.csv", [engineering, computing])
    out = io.StringIO()

    call_command("sync_disciplines", "--dry-run", "--file", str(path), stdout=out)

    assert "0 created, 1 changed, 1 unchanged" in out.getvalue()
    assert Discipline.objects.get(catalogue="cn-grad", code="0812").name == "Computer Science and Technology"
