"""The registry-wide search on the seed facts: what people type finds the joint institute, and /search/
agrees with the listings' own ``q``."""
import re
from urllib.parse import urlencode

import pytest

from core.choices import PublicationState
from partnerships.models import JointInstitute, Program
from tests.factories import DisciplineFactory, InstitutionFactory, JointInstituteFactory, ProgramFactory
from tests.pages import page_text, result_titles

pytestmark = pytest.mark.django_db

FEFU_INSTITUTE = "Chongqing University of Posts and Telecommunications – Far Eastern Federal University Joint Institute"
TCHAIKOVSKY_INSTITUTE = "Chongqing Tchaikovsky Conservatory of Music"

WHAT_PEOPLE_TYPE = [
    "CQUPT-FEFU", "CQUPT–FEFU", "CQUPT—FEFU", "CQUPT FEFU", "cqupt fefu", "FEFU CQUPT", "ＣＱＵＰＴ－ＦＥＦＵ",
    "posts telecommunications", "Telecommunications, Posts", "重庆 邮电", "重庆邮电", "计算机", "物联网",
    "Far Eastern", "远东联邦大学",
]


def search_groups(response) -> dict[str, list[str]]:
    """Each group's heading (without its count) -> the names it lists, as a reader sees them."""
    markup = response.content.decode()
    groups = {}
    for heading, body in re.findall(r'<h2 id="search-group-\d+">(.*?)</h2>(.*?)</section>', markup, flags=re.S):
        name = re.sub(r"<span.*", "", heading).strip()
        groups[name] = [re.sub(r"<.*?>", "", item).strip()
                        for item in re.findall(r'<li><a href="[^"]*">(.*?)</a>', body)]
    return groups


@pytest.mark.parametrize("query", WHAT_PEOPLE_TYPE)
def test_what_people_type_finds_the_joint_institute(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert FEFU_INSTITUTE in search_groups(response)["Joint institutes"]
    assert FEFU_INSTITUTE in result_titles(client.get("/institutes/", {"q": query}))


@pytest.mark.parametrize(("query", "program"), [
    ("计算机", "Computer Science and Technology"),
    ("物联网", "Internet of Things Engineering"),
    ("CQUPT-FEFU", "Digital Media Technology"),
    ("posts telecommunications", "Control Science and Engineering"),
])
def test_programs_found_by_discipline_host_and_institute(client, query, program):
    found = result_titles(client.get("/programs/", {"q": query}))
    assert program in found
    shown = search_groups(client.get("/search/", {"q": query}))["Programs"]
    assert program in shown if len(found) <= 5 else len(shown) == 5  # the search page shows the top five


def test_tchaikovsky_finds_its_joint_institute(client):
    groups = search_groups(client.get("/search/", {"q": "Tchaikovsky"}))
    assert groups["Joint institutes"] == [TCHAIKOVSKY_INSTITUTE]
    assert "Tchaikovsky Moscow State Conservatory" in groups["Institutions"]
    assert search_groups(client.get("/search/", {"q": "柴可夫斯基"}))["Joint institutes"] == [TCHAIKOVSKY_INSTITUTE]


@pytest.mark.parametrize("query", ["CQUPT-FEFU", "计算机", "Tchaikovsky", "Chongqing", "Otago", "university"])
def test_search_page_and_listings_agree(client, query):
    response = client.get("/search/", {"q": query})
    text = page_text(response)
    for path, label in [("/programs/", "Programs"), ("/institutes/", "Joint institutes"),
                        ("/institutions/", "Institutions"), ("/agreements/", "Agreements")]:
        listing = page_text(client.get(path, {"q": query}))
        count = int(re.search(r"(\d+) results?", listing).group(1))
        if count:
            assert f"{label} ({count})" in text
            assert f'href="{path}?{urlencode({"q": query})}"' in response.content.decode()
        else:
            assert label not in search_groups(response)


def test_groups_count_in_words_and_link_to_the_filtered_listing(client):
    response = client.get("/search/", {"q": "FEFU"})
    text = page_text(response)
    assert re.search(r"\d+ records found for “FEFU”", text)
    assert list(search_groups(response)) == ["Programs", "Joint institutes", "Institutions"]
    programs = Program.objects.published().search("FEFU").count()
    assert f"Programs ({programs})" in text
    assert f"See all {programs} programs" in text  # more than shown: a link to all of them
    assert "1 institution in the listing, with filters" in text
    assert 'href="/institutions/?q=FEFU"' in response.content.decode()


def test_most_relevant_first(client):
    groups = search_groups(client.get("/search/", {"q": "Far Eastern Federal University"}))
    assert groups["Institutions"][0] == "Far Eastern Federal University (FEFU)"
    institutes = result_titles(client.get("/institutes/", {"q": "cqupt fefu"}))
    assert institutes[0] == FEFU_INSTITUTE


def test_drafts_never_appear(client):
    host = InstitutionFactory(name="Zyzzyva Draft University", publication_state=PublicationState.DRAFT)
    ProgramFactory(name="Zyzzyva Program", host=host, publication_state=PublicationState.DRAFT)
    for path in ("/search/", "/programs/", "/institutions/", "/api/programs/"):
        assert "Zyzzyva" not in client.get(path, {"q": "zyzzyva"}).content.decode()
    assert "Nothing published in the registry matches “zyzzyva”" in page_text(client.get("/search/", {"q": "zyzzyva"}))


def test_a_draft_program_does_not_lend_its_discipline_to_a_published_institute(client):
    institute = JointInstituteFactory(name="Quokka Joint Institute")
    discipline = DisciplineFactory(name="Xenobotany", native_name="异星植物学")
    ProgramFactory(joint_institute=institute, disciplines=[discipline], publication_state=PublicationState.DRAFT)
    assert result_titles(client.get("/institutes/", {"q": "xenobotany"})) == []
    Program.objects.filter(joint_institute=institute).update(publication_state=PublicationState.PUBLISHED)
    assert result_titles(client.get("/institutes/", {"q": "异星植物"})) == ["Quokka Joint Institute"]
    assert JointInstitute.objects.published().search("Xenobotany").get() == institute


def test_no_match_is_a_helpful_empty_state(client):
    text = page_text(client.get("/search/", {"q": "Atlantis Polytechnic"}))
    assert "0 records found" in text
    assert "Nothing published in the registry matches “Atlantis Polytechnic”" in text
    assert "Try an abbreviation (CQUPT, FEFU)" in text


@pytest.mark.parametrize(("query", "message"), [
    ("x" * 201, "The search text is too long: use at most 200 characters."),
    (" ".join(f"w{n}x" for n in range(30)), "Too many words to search for: use at most 20 words."),
    ("—– ! ?", "has no letters or digits to search for"),
    ("", "Type a name, an abbreviation or a discipline to search for."),
])
def test_hostile_or_empty_queries_get_a_message(client, query, message):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert message in page_text(response)


@pytest.mark.parametrize("query", ["a\x00b", "%", "_", "\\", "' OR 1=1 --", "%%%___", "<script>alert(1)</script>"])
def test_odd_characters_never_break_the_search(client, query):
    for path in ("/search/", "/programs/", "/institutes/", "/institutions/", "/agreements/", "/api/programs/"):
        assert client.get(path, {"q": query}).status_code in (200, 400)
    assert "<script>alert(1)" not in client.get("/search/", {"q": query}).content.decode()


def test_header_and_home_page_search_every_kind(client):
    home = client.get("/").content.decode()
    assert home.count('action="/search/"') == 2  # the header's box and the home page's
    assert 'action="/search/"' in client.get("/programs/").content.decode()
    assert 'action="/zh-hans/search/"' in client.get("/zh-hans/").content.decode()


def test_an_import_is_searchable_at_once_new_records_and_new_aliases_alike(client, tmp_path):
    from tests.core.test_import import PROGRAM_HEADER, program_row, run_import, write_csv

    programs = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row("Quantum Robotics")])
    names = write_csv(tmp_path / "institution_names.csv", ["institution", "name", "kind"],
                      [["Far Eastern Federal University", "Vladivostok Polytechnic of the Far East", "former"]])
    assert run_import(programs, names, publish=True)[0]
    assert "Quantum Robotics" in search_groups(client.get("/search/", {"q": "quantum robotics"}))["Programs"]
    # The new former name reaches the institution and, through it, the institutes and programs it partners.
    groups = search_groups(client.get("/search/", {"q": "Vladivostok Polytechnic"}))
    assert groups["Institutions"] == ["Far Eastern Federal University (FEFU)"]
    assert FEFU_INSTITUTE in groups["Joint institutes"]
    assert "Quantum Robotics" in result_titles(client.get("/programs/", {"q": "Vladivostok Polytechnic"}))


def test_a_dry_run_import_leaves_search_as_it_was(client, tmp_path):
    from tests.core.test_import import PROGRAM_HEADER, program_row, run_import, write_csv

    programs = write_csv(tmp_path / "programs.csv", PROGRAM_HEADER, [program_row("Phantom Robotics")])
    assert run_import(programs, publish=True, dry_run=True)[0]
    assert "Phantom" not in client.get("/search/", {"q": "phantom"}).content.decode()
