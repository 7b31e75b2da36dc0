"""Issue 9: nothing unpublished leaks. A crawler records every public response (the home page, each listing,
the detail pages they link to, the CSV exports, the /data/ files and the API lists), then drafts of every kind
are added (including a published figure about a draft program, a source cited only by a draft, and a draft
program on a published host, in a used discipline): every recorded response must stay exactly the same,
and the drafts' own pages must not be found."""
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Discipline, Institution
from core.choices import PublicationState
from core.fileformat import kinds
from partnerships.models import Figure, Program
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    FigureFactory,
    ForeignInstitutionFactory,
    InstitutionAliasFactory,
    InstitutionFactory,
    JointInstituteFactory,
    ProgramFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = PublicationState.DRAFT, PublicationState.PUBLISHED
MARK = "Leakcheck"  # every draft's name holds it, so no public body may

LISTINGS = ["partnerships:program_list", "partnerships:institute_list", "partnerships:agreement_list",
            "catalog:institution_list"]
EXPORTS = ["partnerships:program_export", "partnerships:institute_export", "partnerships:agreement_export",
           "partnerships:figure_export", "catalog:institution_export"]
API_LISTS = ["/api/programs/", "/api/institutes/", "/api/institutions/", "/api/agreements/", "/api/figures/"]
DETAIL_LINK = re.compile(
    r'href="(/(?:programs|institutes|agreements|activities|institutions|regions|sources|disciplines|countries)'
    r'/[^"?#]+/)"'
)
# The /data/ page says when its files were made, to the minute: the one part that may change by itself.
MADE_ON = re.compile(r"made on [^.<]*\.")
# The "Report a correction" form's CSRF token is masked afresh in every response.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def body(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = MADE_ON.sub("made on (time).", content.decode())
    return response.status_code, CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value="(token)"', text)


def crawl(client) -> dict[str, tuple[int, str]]:
    """Every public response the crawler reaches: the start pages, then the detail pages they link to,
    and the detail pages those link to (the seed facts are small, so the crawl stays short)."""
    start = [reverse("partnerships:home"), reverse("opendata:index"), *map(reverse, LISTINGS),
             *map(reverse, EXPORTS), *API_LISTS]
    start += [reverse("opendata:download", args=[kind.name, ext]) for kind in kinds for ext in ("csv", "json")]
    seen: dict[str, tuple[int, str]] = {}
    frontier = start
    for _depth in range(3):
        found = []
        for url in frontier:
            if url in seen:
                continue
            seen[url] = body(client, url)
            found += DETAIL_LINK.findall(seen[url][1])
        frontier = sorted(set(found) - set(seen))
    return seen


def add_drafts_of_every_kind() -> dict[str, str]:
    """Drafts of every kind, tied to each other and to published records; returns the drafts' own URLs."""
    host = Program.objects.published().select_related("host").first().host  # a published seed institution
    discipline = Discipline.objects.filter(programs__publication_state=PUBLISHED).first()
    only_drafts_cite = SourceFactory(title=f"{MARK} source", slug="leakcheck-source")
    institution = InstitutionFactory(name=f"{MARK} University", slug="leakcheck-university", publication_state=DRAFT)
    institution.sources.add(only_drafts_cite)
    InstitutionAliasFactory(institution=institution, name=f"{MARK} alias", source=only_drafts_cite)
    foreign = ForeignInstitutionFactory(name=f"{MARK} Foreign", slug="leakcheck-foreign", publication_state=DRAFT)
    region = RegionFactory(name=f"{MARK} Region", slug="leakcheck-region", publication_state=DRAFT)
    institute = JointInstituteFactory(
        name=f"{MARK} Institute", slug="leakcheck-institute", city=host.city, publication_state=DRAFT,
        hosts=[host], partners=[foreign],
    )
    program = ProgramFactory(
        name=f"{MARK} Program", slug="leakcheck-program", host=host, city=host.city, joint_institute=institute,
        partners=[foreign], disciplines=[discipline], publication_state=DRAFT,
    )
    program.sources.add(only_drafts_cite)
    # As if saved through an inline that skipped clean(): a published figure about a draft program.
    published_figure = FigureFactory(institution=None, program=program, source=only_drafts_cite, note=MARK)
    FigureFactory(institution=institution, note=MARK)
    FigureFactory(institution=None, region=region, note=MARK)
    agreement = AgreementFactory(title=f"{MARK} Agreement", slug="leakcheck-agreement", parties=[host, foreign],
                                 publication_state=DRAFT)
    activity = ActivityFactory(title=f"{MARK} Visit", slug="leakcheck-visit", organizer=host, publication_state=DRAFT)
    activity.agreements.add(agreement)
    assert published_figure.publication_state == PUBLISHED
    return {
        "institution": institution.get_absolute_url(), "foreign": foreign.get_absolute_url(),
        "region": region.get_absolute_url(), "institute": institute.get_absolute_url(),
        "program": program.get_absolute_url(), "agreement": agreement.get_absolute_url(),
        "activity": activity.get_absolute_url(), "source": only_drafts_cite.get_absolute_url(),
        "api program": f"/api/programs/{program.slug}/", "api institute": f"/api/institutes/{institute.slug}/",
        "api institution": f"/api/institutions/{institution.slug}/",
        "api agreement": f"/api/agreements/{agreement.slug}/",
        "api figure": f"/api/figures/{published_figure.pk}/",
    }


def test_drafts_change_no_public_response(client):
    before = crawl(client)
    assert len(before) > 40, sorted(before)  # the crawl reached the seed facts' detail pages
    assert all(status == 200 for status, _text in before.values()), [u for u, (s, _t) in before.items() if s != 200]

    draft_urls = add_drafts_of_every_kind()

    changed = [url for url, response in before.items() if body(client, url) != response]
    assert changed == []
    leaking = [url for url in before if MARK in body(client, url)[1]]
    assert leaking == []
    found = {kind: url for kind, url in draft_urls.items() if client.get(url).status_code != 404}
    assert found == {}


def test_publishing_the_records_shows_them(client):
    """The crawl can see a change: once published, the same records appear where the drafts did not."""
    add_drafts_of_every_kind()
    program = Program.objects.get(slug="leakcheck-program")
    for record in [*Institution.objects.filter(name__startswith=MARK), program.joint_institute, program]:
        record.publication_state = PUBLISHED
        record.save()
    assert f"{MARK} Program" in body(client, reverse("partnerships:program_export"))[1]
    assert "leakcheck-source" in body(client, reverse("opendata:download", args=["sources", "csv"]))[1]
    assert client.get("/sources/leakcheck-source/").status_code == 200
    assert Figure.objects.public().filter(program=program).exists()


def test_the_published_only_export_leaves_the_drafts_out(tmp_path):
    add_drafts_of_every_kind()

    call_command("export_registry", str(tmp_path), "--published-only", stdout=io.StringIO())

    leaking = sorted(path.name for path in tmp_path.iterdir() if MARK in path.read_text(encoding="utf-8"))
    assert leaking == []
    assert "Physics" in (tmp_path / "programs.csv").read_text(encoding="utf-8")  # the published ones are there
