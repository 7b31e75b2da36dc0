"""load_seeds imports the seed files through the importer, changes nothing the second time, and never
undoes what staff changed since (unless told to with --overwrite)."""
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.models import Institution
from core.models import SeedRecord
from partnerships.models import Activity, Agreement, Figure, JointInstitute, Program

pytestmark = pytest.mark.django_db


def load_seeds(*args) -> str:
    out = io.StringIO()
    call_command("load_seeds", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def edit_in_admin(client, institution: Institution, **changes) -> None:
    """Save the institution's admin form with ``changes``, as a staff member would."""
    url = reverse("admin:catalog_institution_change", args=[institution.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.update({"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", **changes})
    for name in ("disciplines", "sources"):
        data[name] = [str(pk) for pk in data.get(name) or []]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def test_a_second_load_changes_nothing():
    def snapshot():
        return {model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
                for model in (Institution, JointInstitute, Program, Agreement, Activity, Figure)}

    before = snapshot()
    output = load_seeds()
    assert snapshot() == before
    assert "programs: 0 created, 0 changed, 10 unchanged" in output
    assert "Left as they are" not in output


def test_every_seeded_record_is_fingerprinted():
    seeded = set(SeedRecord.objects.values_list("kind", "key"))
    assert ("programs", "cqu-nsu-physics") in seeded
    assert ("institutions", "far-eastern-federal-university") in seeded
    assert sum(1 for kind, _ in seeded if kind == "figures") == Figure.objects.count()


def test_a_staff_edit_survives_make_run_and_a_plain_load(staff_client):
    csu = Institution.objects.get(slug="central-south-university")
    edit_in_admin(staff_client, csu, city="Changsha, Hunan", description="Edited by staff.")

    assert "holds the seed facts already" in load_seeds("--if-new")  # what `make run` calls
    output = load_seeds()
    csu.refresh_from_db()
    assert (csu.city, csu.description) == ("Changsha, Hunan", "Edited by staff.")
    assert "institutions: central-south-university" in output and "--overwrite" in output
    page = staff_client.get(csu.get_absolute_url()).content.decode()
    assert "Changsha, Hunan" in page


def test_overwrite_puts_the_seed_facts_back(staff_client):
    csu = Institution.objects.get(slug="central-south-university")
    edit_in_admin(staff_client, csu, city="Somewhere else")
    load_seeds("--overwrite")
    csu.refresh_from_db()
    assert csu.city == "Changsha"
    # Now the record is as the seeds left it again: a plain load updates it freely.
    assert "Left as they are" not in load_seeds()


def test_a_record_staff_made_before_the_seeds_is_not_taken_over():
    SeedRecord.objects.filter(kind="programs", key="cqu-nsu-physics").delete()
    program = Program.objects.get(slug="cqu-nsu-physics")
    Program.objects.filter(pk=program.pk).update(annual_intake=77)
    output = load_seeds()
    program.refresh_from_db()
    assert program.annual_intake == 77 and "programs: cqu-nsu-physics" in output


def test_a_bad_seed_file_loads_nothing(tmp_path, settings):
    for path in settings.SEED_FACTS_DIR.glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    programs = tmp_path / "programs.csv"
    programs.write_text(programs.read_text(encoding="utf-8").replace("cn-ug:070201", "cn-ug:999999"), encoding="utf-8")
    settings.SEED_FACTS_DIR = tmp_path
    Program.objects.filter(slug="cqu-nsu-physics").update(annual_intake=5)
    SeedRecord.objects.all().delete()
    with pytest.raises(CommandError, match="nothing was loaded"):
        load_seeds("--overwrite")
    assert Program.objects.get(slug="cqu-nsu-physics").annual_intake == 5


def test_seed_files_cite_an_article_on_every_row():
    import csv

    for path in settings.SEED_FACTS_DIR.glob("*.csv"):
        if path.name in ("sources.csv", "institution_names.csv"):
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                assert row["source_title"].strip(), f"{path.name}: a row cites no source: {row}"
