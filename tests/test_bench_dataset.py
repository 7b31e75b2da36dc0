"""The load benchmark's dataset builder (bench/dataset.py) at a tiny scale: what it writes is valid
and published, and the pages the benchmark requests answer."""
import pytest
from django.core.exceptions import ValidationError

from bench import dataset
from catalog.models import Institution
from partnerships.models import Figure, JointInstitute, Program, ProgramPartner

pytestmark = pytest.mark.django_db


def test_builds_the_counts_asked_for_and_the_named_records():
    programs_before, figures_before = Program.objects.count(), Figure.objects.count()
    names = dataset.build(0.001, progress=lambda line: None)
    wanted = dataset.counts(0.001)
    assert Program.objects.count() - programs_before == wanted["programs"] == 100
    assert Figure.objects.count() - figures_before == wanted["figures"] == 1_000
    assert Institution.objects.filter(slug__startswith="bench-inst-").count() == wanted["institutions"]
    assert JointInstitute.objects.filter(slug__startswith="bench-institute-").count() == wanted["institutes"]
    assert Figure.objects.filter(program__slug=names.program_slug).count() == dataset.FIGURES_OF_BUSY_PROGRAM
    assert Institution.objects.get(slug=names.host_slug).hosted_programs.count() == dataset.PROGRAMS_OF_BUSY_HOST
    assert ProgramPartner.objects.filter(program__slug__startswith="bench-program-").exists()


def test_generated_records_pass_the_models_rules():
    dataset.build(0.001, progress=lambda line: None)
    for model in (Institution, JointInstitute, Program, Figure):
        for record in model.objects.filter(pk__in=model.objects.order_by("-pk").values("pk")[:20]):
            try:
                record.full_clean()
            except ValidationError as error:
                pytest.fail(f"{model.__name__} {record.pk}: {error}")
            assert record.is_published


def test_the_benchmark_urls_answer(client):
    import bench.load as load

    names = dataset.build(0.001, progress=lambda line: None)
    for url in load.urls_for(names):
        if url.startswith("/search/"):
            continue  # another page, which may not exist yet
        assert client.get(url).status_code == 200, url
    assert f"{dataset.RARE_SUBJECT}" in client.get(f"/programs/?q={dataset.RARE_SUBJECT}").content.decode()
