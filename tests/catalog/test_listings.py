"""The institution listing: its query parameters as a reader sees them."""
import pytest

from tests.pages import result_titles

pytestmark = pytest.mark.django_db


def test_institutions_in_japan(client):
    assert sorted(result_titles(client.get("/institutions/?country=JP"))) == ["Kyoto University", "Kyushu University"]


def test_institutions_by_kind_and_discipline(client):
    assert result_titles(client.get("/institutions/?kind=conservatory")) == ["Tchaikovsky Moscow State Conservatory"]
    titles = result_titles(client.get("/institutions/?discipline=cn-grad:0854"))
    assert titles == ["Chongqing Institute of Green and Intelligent Technology, Chinese Academy of Sciences"]
