"""What the phone layout relies on in the markup: a folding filter panel, labelled table cells, a 404 with a search box.

The browser checks (widths, folding, axe) are in test_browser_layout.py.
"""
import re

import pytest

from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_the_404_page_offers_a_search_box_and_the_main_listings(client, prefix):
    response = client.get(prefix + "/programs/no-such-program/")
    assert response.status_code == 404
    html = response.content.decode()
    # The search covers every kind, in the page's own language.
    assert re.search(rf'<form method="get" action="{prefix}/search/"[^>]*role="search"', html)
    assert 'type="search" id="not-found-q" name="q"' in html
    for listing in ["/programs/", "/institutes/", "/institutions/", "/agreements/", "/data/"]:
        assert f'href="{prefix}{listing}"' in html


def test_the_filter_panel_is_a_details_element_folded_unless_a_filter_needs_correcting(client):
    html = client.get("/programs/?country=RU").content.decode()
    assert '<details class="filters__panel" id="filters-panel">' in html  # folded; filters.js opens it on wide screens
    assert "in use" in page_text(client.get("/programs/?country=RU"))
    assert "in use" not in page_text(client.get("/programs/"))
    html = client.get("/programs/?discipline=nonsense").content.decode()
    assert '<details class="filters__panel" id="filters-panel" open>' in html  # the message says "correct them below"


def test_home_page_counts_agree_with_their_number(client):
    text = page_text(client.get("/"))
    assert "2 joint institutes" in text
    assert "10 programs" in text
    assert not re.search(r"\b1 (joint institutes|programs|agreements|institutions|partner countries|disciplines)\b", text)


def test_stacked_table_cells_carry_their_column_label(client):
    html = client.get("/").content.decode()
    assert 'data-label="Reported by the source"' in html and 'data-label="Held in the registry"' in html
    html = client.get("/data/").content.decode()
    assert 'data-label="Download"' in html
    # A table that may scroll sideways is a named region one can reach by keyboard.
    assert re.search(r'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="files-caption">', html)
