"""The extension points (core.extensions): hooks keep what is registered, once and in order; a detail page
merges the sections registered for its model and refuses a section that would replace a name it has."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from catalog.models import Region, Source
from catalog.views import SourceDetailView
from core import views
from core.extensions import DetailSections, Hook


def test_a_hook_keeps_what_is_registered_once_and_in_order():
    hook = Hook("test")

    @hook.register
    def first():
        pass

    def second():
        pass

    hook.register(second)
    hook.register(first)  # a second ready() registers again
    assert list(hook) == [first, second] and len(hook) == 2


def test_sections_are_merged_per_model():
    sections = DetailSections()
    sections.register(Source, lambda source: {"one": 1})

    @sections.register(Source)
    def two(source):
        return {"two": source.title}

    assert sections.context(Source(title="An article")) == {"one": 1, "two": "An article"}
    assert sections.context(Region(name="Chongqing")) == {}


def test_two_sections_may_not_give_the_same_name():
    sections = DetailSections()
    sections.register(Source, lambda source: {"figures": []})
    sections.register(Source, lambda source: {"figures": ["again"]})
    with pytest.raises(ImproperlyConfigured, match="figures"):
        sections.context(Source(title="An article"))


@pytest.mark.django_db
def test_a_detail_page_shows_its_sections_but_keeps_its_own_names(monkeypatch):
    sections = DetailSections()
    monkeypatch.setattr(views, "detail_sections", sections)
    source = Source.objects.first()
    request = RequestFactory().get(source.get_absolute_url())

    sections.register(Source, lambda record: {"citing_count": 3})
    response = SourceDetailView.as_view()(request, slug=source.slug)
    assert response.context_data["citing_count"] == 3

    sections.register(Source, lambda record: {"institutions": []})  # the page's own list of citing institutions
    with pytest.raises(ImproperlyConfigured, match="institutions"):
        SourceDetailView.as_view()(request, slug=source.slug)
