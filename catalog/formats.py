"""The catalog's kinds of record in the registry's file format (see core.fileformat)."""
from django.utils.translation import gettext_lazy as _

from core.fileformat import Kind
from core.fileformat.columns import (
    Choice,
    Country,
    FullDate,
    Integer,
    LinkedValues,
    PageAddress,
    Reference,
    References,
    Sources,
    Text,
    Url,
)

from .choices import DisciplineCatalogue
from .models import Discipline, Institution, InstitutionAlias, Region, Source
from .services import create_source

INSTITUTION_HINT = ("no institution has this name, native name, abbreviation or alias "
                    "(define it in an institutions file imported in the same run)")


class Disciplines(References):
    """Disciplines written ``CATALOGUE:CODE`` as on the pages (``cn-grad:0812``)."""

    def __init__(self, name: str = "disciplines", **options):
        catalogues = ", ".join(DisciplineCatalogue.values)
        super().__init__(name, label=("catalogue", "code"),
                         hint=f"write CATALOGUE:CODE as on the pages, e.g. cn-grad:0812 (catalogues: {catalogues})",
                         **options)

    def resolve(self, lookups, text):
        return lookups.record(Discipline, "".join(text.split()), label="key", hint=self.hint)

    def item_label(self, catalogue, code):
        return f"{catalogue}:{code}"


def institution(name: str, **options) -> Reference:
    return Reference(name, hint=INSTITUTION_HINT, **options)


def institutions(name: str, **options) -> References:
    return References(name, hint=INSTITUTION_HINT, **options)


def sources(**options) -> Sources:
    return Sources(create=create_source, **options)


# Export-only columns about the institutions a record names (see core.fileformat.columns.Derived).

def chinese_names(name: str, *, of: str, **options) -> LinkedValues:
    """The Chinese names of the institutions ``field`` names, one per institution ("" when unknown)."""
    return LinkedValues(name, facts=lambda pks: Institution.objects.filter(pk__in=pks).chinese_names(), **options,
                        about=f"Chinese name(s) of the {of}, in the order of the {of} column: the native name, "
                              "else a Chinese alias (empty where none is known)")


def countries(name: str, *, of: str, **options) -> LinkedValues:
    """The countries of the institutions ``field`` names, each once."""
    return LinkedValues(name, fact="country", distinct=True, about=f"the countries of the {of}, each once", **options)


SOURCES = Kind("sources", Source, [
    Text("slug"),
    Text("title", required=True),
    Text("publisher"),
    FullDate("published_on"),
    Url("url"),
    Text("seed_file"),
    Text("note", lines=True),
], key=("title", "url"), description="The published texts that the registry's facts cite.")

REGIONS = Kind("regions", Region, [
    Text("slug"),
    Text("name", required=True),
    Text("native_name"),
    Choice("kind", required=True),
    Country("country", required=True),
    sources(),
], key=("name", "country"), description="Provinces and municipalities, the subjects of region-wide figures.")

INSTITUTIONS = Kind("institutions", Institution, [
    Text("slug"),
    Text("name", required=True),
    Text("native_name"),
    Text("abbreviation"),
    Choice("kind", required=True),
    Country("country", required=True),
    Text("city"),
    Text("region"),
    Url("website"),
    institution("parent", deferred=True),
    Text("ror_id"),
    Disciplines(),
    Text("description", lines=True),
    sources(),
], key=("name", "country"), derived=[PageAddress()],
    description="Universities, schools, institutes and colleges, Chinese and foreign.")

INSTITUTION_NAMES = Kind("institution_names", InstitutionAlias, [
    institution("institution", required=True),
    Text("name", required=True),
    Choice("kind", empty_is_default=True),
    Integer("used_until"),
    sources(field="source", single=True),
], key=("institution", "name"), order_by=("institution__slug", "name"), title=_("Institution names"),
    description="Other names of institutions: former names (with the year they ended) and the wordings "
                "sources use, such as machine translations.")

KINDS = [SOURCES, REGIONS, INSTITUTIONS, INSTITUTION_NAMES]
