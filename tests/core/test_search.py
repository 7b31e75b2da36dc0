"""Search's building blocks: the normaliser, the query terms, and search entries that follow every write."""
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings, strategies as st

from catalog.models import Institution, InstitutionAlias
from core.models import SearchEntry
from core.search import MAX_QUERY_LENGTH, SEPARATOR, SearchQueryError, document, normalise, query_terms
from core.search_index import search_index
from partnerships.models import Program, ProgramPartner
from tests.factories import (
    DisciplineFactory,
    ForeignInstitutionFactory,
    InstitutionAliasFactory,
    InstitutionFactory,
    ProgramFactory,
)
from tests.pages import page_text, result_titles


@pytest.mark.parametrize(("text", "expected"), [
    ("CQUPT–FEFU", "cqupt fefu"),  # en dash
    ("CQUPT-FEFU", "cqupt fefu"),  # hyphen
    ("CQUPT—FEFU", "cqupt fefu"),  # em dash
    ("ＣＱＵＰＴ－ＦＥＦＵ", "cqupt fefu"),  # full-width forms
    ("  cqupt   FEFU ", "cqupt fefu"),
    ("São Paulo", "sao paulo"),
    ("Université de Montréal", "universite de montreal"),
    ("Posts & Telecommunications, Chongqing.", "posts telecommunications chongqing"),
    ("重庆邮电大学", "重庆邮电大学"),
    ("CQUPT重庆邮电", "cqupt 重庆邮电"),  # a Chinese run is a word of its own
    ("Straße", "strasse"),
    ("Дальневосточный", "дальневосточныи"),  # accents off Cyrillic too, as on both sides
    ("a\x00b", "a b"),
    ("---", ""),
    ("", ""),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_never_raises_and_is_idempotent(text):
    normalised = normalise(text)
    assert normalise(normalised) == normalised
    assert SEPARATOR not in normalised and "\x00" not in normalised
    assert normalised == " ".join(normalised.split())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_QUERY_LENGTH))
def test_query_terms_never_raise_on_short_text_unless_too_many_words(text):
    try:
        terms = query_terms(text)
    except SearchQueryError as error:
        assert "words" in str(error)
    else:
        assert all(term and " " not in term for term in terms)


def test_query_terms_drop_repeats_and_terms_inside_others():
    assert query_terms("fefu FE fefu Far") == ["fefu", "far"]
    assert query_terms("重庆 邮电") == ["重庆", "邮电"]


def test_too_long_or_too_many_words_is_a_message():
    with pytest.raises(SearchQueryError, match="at most 200 characters"):
        query_terms("x" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(SearchQueryError, match="at most 20 words"):
        query_terms(" ".join(f"w{n}x" for n in range(21)))
    assert len(query_terms("x" * 500, strict=False)) == 1


def test_document_keeps_names_apart():
    assert document("Far Eastern Federal University", "FEFU", "", "fefu") == "|far eastern federal university|fefu|"
    assert document("", "—") == ""


def entry(record) -> SearchEntry:
    return SearchEntry.objects.get(kind=record._meta.label_lower, object_id=record.pk)


@pytest.mark.django_db
class TestEntriesFollowWrites:
    def test_a_new_program_is_found_by_its_host_partner_and_discipline(self):
        discipline = DisciplineFactory(name="Marine Biology", native_name="海洋生物学")
        partner = ForeignInstitutionFactory(name="Universidade de São Paulo", abbreviation="USP")
        program = ProgramFactory(host=InstitutionFactory(name="Ocean Host University"), partners=[partner],
                                 disciplines=[discipline])
        text = entry(program).document
        for words in ("ocean host university", "universidade de sao paulo", "usp", "marine biology", "海洋生物学"):
            assert words in text

    def test_renaming_a_host_updates_its_programs(self):
        program = ProgramFactory()
        host = program.host
        host.name = "Renamed Polytechnic"
        host.save()
        assert "renamed polytechnic" in entry(program).document

    def test_a_new_alias_reaches_the_institution_and_its_programs(self):
        program = ProgramFactory()
        InstitutionAliasFactory(institution=program.host, name="Old Name College")
        assert "old name college" in entry(program.host).names
        assert "old name college" in entry(program).document
        InstitutionAlias.objects.filter(name="Old Name College").delete()
        assert "old name college" not in entry(program).document

    def test_renaming_a_discipline_updates_its_programs(self):
        discipline = DisciplineFactory(name="Astronomy")
        program = ProgramFactory(disciplines=[discipline])
        discipline.name = "Astrophysics"
        discipline.save()
        assert "astrophysics" in entry(program).document

    def test_many_to_many_changes_from_either_side(self):
        program = ProgramFactory()
        partner = ForeignInstitutionFactory(name="Added Partner University")
        program.partners.add(partner)
        assert "added partner university" in entry(program).document
        partner.partnered_programs.clear()
        assert "added partner university" not in entry(program).document
        discipline = DisciplineFactory(name="Glaciology")
        discipline.programs.add(program)
        assert "glaciology" in entry(program).document

    def test_deleting_a_record_deletes_its_entry(self):
        program = ProgramFactory()
        key = (program._meta.label_lower, program.pk)
        program.delete()
        assert not SearchEntry.objects.filter(kind=key[0], object_id=key[1]).exists()

    def test_bulk_inserts_in_a_deferred_block_are_indexed_at_the_end(self):
        host = InstitutionFactory(name="Bulk Host University")
        partner = ForeignInstitutionFactory()
        with search_index.deferred():
            programs = Program.objects.bulk_create([Program(name=f"Bulk {n}", slug=f"bulk-{n}", host=host) for n in range(30)])
            programs = list(Program.objects.filter(slug__startswith="bulk-"))
            ProgramPartner.objects.bulk_create([ProgramPartner(program=p, institution=partner) for p in programs])
            assert not SearchEntry.objects.filter(kind="partnerships.program", object_id__in=[p.pk for p in programs])
        assert all("bulk host university" in entry(program).document for program in programs)

    def test_a_cancelled_deferred_block_indexes_nothing(self):
        with search_index.deferred() as batch:
            institution = Institution.objects.create(name="Never Indexed", slug="never-indexed", kind="university",
                                                     country="CN")
            batch.cancel()
        assert not SearchEntry.objects.filter(kind="catalog.institution", object_id=institution.pk).exists()

    def test_rebuild_command(self):
        program = ProgramFactory(name="Rebuilt Program")
        SearchEntry.objects.all().delete()
        call_command("rebuild_search", "--if-stale", stdout=open("/dev/null", "w"))
        assert "rebuilt program" in entry(program).names
        assert SearchEntry.objects.filter(kind="catalog.institution").count() == Institution.objects.count()


@pytest.mark.django_db
class TestMatching:
    def test_accents_either_way(self, client):
        InstitutionFactory(name="Universidade de São Paulo", country="BR", city="São Paulo")
        InstitutionFactory(name="Sao Carlos Institute", country="BR")
        for query in ("Sao Paulo", "são paulo", "SÃO PAULO", "paulo sao"):
            assert result_titles(client.get("/institutions/", {"q": query})) == ["Universidade de São Paulo"]
        assert result_titles(client.get("/institutions/", {"q": "São Carlos"})) == ["Sao Carlos Institute"]

    def test_the_whole_name_ranks_first(self, client):
        InstitutionFactory(name="Institute of Ocean Studies Ocean")
        InstitutionFactory(name="Ocean University")
        InstitutionFactory(name="Ocean")
        titles = result_titles(client.get("/institutions/", {"q": "ocean"}))
        assert titles[:2] == ["Ocean", "Ocean University"]
        assert "Institute of Ocean Studies Ocean" in titles
        # A chosen sort still wins over relevance.
        assert result_titles(client.get("/institutions/", {"q": "ocean", "sort": "-name"}))[0] == "Ocean University"

    def test_past_the_ranking_limit_the_listing_keeps_its_order(self, client, monkeypatch):
        for name in ("Zeta Ocean College", "Ocean", "Alpha Ocean Institute"):
            InstitutionFactory(name=name)
        assert result_titles(client.get("/institutions/", {"q": "ocean"}))[0] == "Ocean"
        monkeypatch.setattr("core.search.RANKED_AT_MOST", 2)
        cache.clear()  # the same address again: not the page cached a moment ago
        assert result_titles(client.get("/institutions/", {"q": "ocean"})) == [
            "Alpha Ocean Institute", "Ocean", "Zeta Ocean College",
        ]

    def test_too_long_a_query_on_a_listing_is_a_message(self, client):
        response = client.get("/institutions/", {"q": "a" * 201})
        assert response.status_code == 200
        assert "at most 200 characters" in page_text(response)


@pytest.mark.django_db
def test_the_trigram_index_exists_only_on_postgresql():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, SearchEntry._meta.db_table)
    if connection.vendor == "postgresql":
        assert constraints["searchentry_document_trgm"]["type"] == "gin"
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone() == (1,)
    else:
        assert "searchentry_document_trgm" not in constraints
        assert "searchentry_unique_record" in constraints
