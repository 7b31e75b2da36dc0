"""The registry's open-data file format: one table per kind, shared by CSV downloads, export and import.

Lists inside a cell are separated by ``|``; countries are ISO 3166-1 alpha-2;
disciplines are ``CATALOGUE:CODE``; dates are ISO 8601 at the precision the
source states (``2025-05`` for "May 2025"); an empty cell means unknown.
Institutions are named by their English name; figure subjects by slug.
"""
import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from catalog.choices import DatePrecision
from catalog.models import Discipline, Institution, InstitutionAlias, Region, Source

from .choices import MemberRole
from .models import SUBJECT_FIELDS, Agreement, Figure, InstituteMember, JointInstitute, Program

LIST_SEPARATOR = "|"

SOURCE_COLUMNS = ["source_title", "source_url"]

COLUMNS: dict[str, list[str]] = {
    "institutions": [
        "slug", "name", "native_name", "abbreviation", "aliases", "kind", "country", "city", "region",
        "website", "parent", "ror_id",
    ],
    "joint_institutes": [
        "slug", "name", "native_name", "hosts", "partners", "city", "launched_on", "approval_number",
        "approval_status", "approval_date", "degree_model", "dean", "enrollment_target", "website",
        *SOURCE_COLUMNS,
    ],
    "programs": [
        "slug", "name", "level", "disciplines", "host", "partners", "joint_institute", "city", "degree_model",
        "duration_years", "annual_intake", "tuition_cny_per_year", "language", "approval_number",
        "approval_status", "approval_date", "enrollment_start_year", "enrollment_end_year", *SOURCE_COLUMNS,
    ],
    "agreements": ["slug", "title", "kind", "parties", "signed_on", "scope", "status", *SOURCE_COLUMNS],
    "figures": [
        "subject_type", "subject", "metric", "value", "unit", "qualifier", "period_start", "period_end", "note",
        *SOURCE_COLUMNS,
    ],
    "sources": ["slug", "title", "publisher", "published_on", "url", "seed_file"],
    # Regions are the subjects of region-wide figures (e.g. Chongqing's totals).
    "regions": ["slug", "name", "native_name", "kind", "country", *SOURCE_COLUMNS],
}

# Columns whose cell holds a |-separated list (a JSON array in the JSON files).
LIST_COLUMNS: dict[str, set[str]] = {
    "institutions": {"aliases"},
    "joint_institutes": {"hosts", "partners", *SOURCE_COLUMNS},
    "programs": {"disciplines", "partners", *SOURCE_COLUMNS},
    "agreements": {"parties", *SOURCE_COLUMNS},
    "figures": set(),
    "sources": set(),
    "regions": set(SOURCE_COLUMNS),
}

# Files given together are imported in this order, so that references resolve.
IMPORT_ORDER = ["sources", "regions", "institutions", "joint_institutes", "programs", "agreements", "figures"]

MODELS = {
    "institutions": Institution,
    "joint_institutes": JointInstitute,
    "programs": Program,
    "agreements": Agreement,
    "figures": Figure,
    "sources": Source,
    "regions": Region,
}


def join(values: Iterable) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values)


def format_date(value: date | None, precision: str = DatePrecision.DAY) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def text(value) -> str:
    return "" if value is None else str(value)


# Rows are built from values() and one values_list() query per relation and chunk, not from
# model instances: building a Program with its host, joint institute and a related manager per
# relation took ten times as long as the SQL (bench/pages.py, /programs/export.csv).
# Each relation is read in its model's default ordering, as the prefetches it replaces did.

CHUNK_SIZE = 2000  # rows per chunk; keeps memory flat on large tables


def _grouped(queryset, owner: str, *fields) -> dict[int, list]:
    """``{owner pk: [value, ...]}`` from one query, in ``queryset``'s order (a tuple per value if several fields)."""
    grouped = defaultdict(list)
    for owner_pk, *values in queryset.values_list(owner, *fields):
        grouped[owner_pk].append(values[0] if len(values) == 1 else tuple(values))
    return grouped


def _names(relation: str):
    """The names of the institutions linked through ``relation`` (e.g. a program's partners)."""
    return lambda pks: _grouped(Institution.objects.filter(**{f"{relation}__in": pks}), relation, "name")


def _cited_by(relation: str):
    """The (title, url) of the sources cited through ``relation``."""
    return lambda pks: _grouped(Source.objects.filter(**{f"{relation}__in": pks}), relation, "title", "url")


def _disciplines(pks):
    return _grouped(Discipline.objects.filter(programs__in=pks), "programs", "catalogue", "code")


def _aliases(pks):
    return _grouped(InstitutionAlias.objects.filter(institution__in=pks), "institution", "name")


def _members(pks):
    """(role, institution name) of each institute's members, hosts and partners alike."""
    members = InstituteMember.objects.filter(joint_institute__in=pks)
    return _grouped(members, "joint_institute", "role", "institution__name")


def _sources(sources: list[tuple[str, str]]) -> dict[str, str]:
    # A stable sort: sources with the same title keep the database's order, as before.
    sources = sorted(sources, key=lambda source: source[0])
    return {"source_title": join(title for title, _ in sources), "source_url": join(url for _, url in sources)}


def _country_code(model, code: str) -> str:
    """The code as ``record.country.code`` reads it (django-countries turns known codes into alpha-2)."""
    return model._meta.get_field("country").countries.alpha2(code) or code


def _institution_row(institution: dict, related: dict[str, list]) -> dict[str, str]:
    return {
        "slug": institution["slug"],
        "name": institution["name"],
        "native_name": institution["native_name"],
        "abbreviation": institution["abbreviation"],
        "aliases": join(related["aliases"]),
        "kind": institution["kind"],
        "country": _country_code(Institution, institution["country"]),
        "city": institution["city"],
        "region": institution["region"],
        "website": institution["website"],
        "parent": text(institution["parent__name"]),
        "ror_id": institution["ror_id"],
    }


def _joint_institute_row(institute: dict, related: dict[str, list]) -> dict[str, str]:
    return {
        "slug": institute["slug"],
        "name": institute["name"],
        "native_name": institute["native_name"],
        "hosts": join(name for role, name in related["members"] if role == MemberRole.HOST),
        "partners": join(name for role, name in related["members"] if role == MemberRole.PARTNER),
        "city": institute["city"],
        "launched_on": format_date(institute["launched_on"], institute["launched_on_precision"]),
        "approval_number": institute["approval_number"],
        "approval_status": institute["approval_status"],
        "approval_date": format_date(institute["approval_date"], institute["approval_date_precision"]),
        "degree_model": institute["degree_model"],
        "dean": institute["dean"],
        "enrollment_target": text(institute["enrollment_target"]),
        "website": institute["website"],
        **_sources(related["sources"]),
    }


def _program_row(program: dict, related: dict[str, list]) -> dict[str, str]:
    return {
        "slug": program["slug"],
        "name": program["name"],
        "level": program["level"],
        "disciplines": join(f"{catalogue}:{code}" for catalogue, code in related["disciplines"]),
        "host": program["host__name"],
        "partners": join(related["partners"]),
        "joint_institute": text(program["joint_institute__name"]),
        "city": program["city"],
        "degree_model": program["degree_model"],
        "duration_years": text(program["duration_years"]),
        "annual_intake": text(program["annual_intake"]),
        "tuition_cny_per_year": text(program["tuition_cny_per_year"]),
        "language": program["language"],
        "approval_number": program["approval_number"],
        "approval_status": program["approval_status"],
        "approval_date": format_date(program["approval_date"], program["approval_date_precision"]),
        "enrollment_start_year": text(program["enrollment_start_year"]),
        "enrollment_end_year": text(program["enrollment_end_year"]),
        **_sources(related["sources"]),
    }


def _agreement_row(agreement: dict, related: dict[str, list]) -> dict[str, str]:
    return {
        "slug": agreement["slug"],
        "title": agreement["title"],
        "kind": agreement["kind"],
        "parties": join(related["parties"]),
        "signed_on": format_date(agreement["signed_on"], agreement["signed_on_precision"]),
        "scope": agreement["scope"],
        "status": agreement["status"],
        **_sources(related["sources"]),
    }


def _figure_row(figure: dict, related: dict[str, list]) -> dict[str, str]:
    # Exactly one subject is set (figure_exactly_one_subject); the first, as Figure.subject reads it.
    subject_type = next(field for field in SUBJECT_FIELDS if figure[f"{field}__slug"] is not None)
    return {
        "subject_type": subject_type,
        "subject": figure[f"{subject_type}__slug"],
        "metric": figure["metric"],
        "value": f"{figure['value'].normalize():f}",
        "unit": figure["unit"],
        "qualifier": figure["qualifier"],
        "period_start": text(figure["period_start"]),
        "period_end": text(figure["period_end"]),
        "note": figure["note"],
        "source_title": figure["source__title"],
        "source_url": figure["source__url"],
    }


def _source_row(source: dict, related: dict[str, list]) -> dict[str, str]:
    return {
        "slug": source["slug"],
        "title": source["title"],
        "publisher": source["publisher"],
        "published_on": format_date(source["published_on"]),
        "url": source["url"],
        "seed_file": source["seed_file"],
    }


def _region_row(region: dict, related: dict[str, list]) -> dict[str, str]:
    return {
        "slug": region["slug"],
        "name": region["name"],
        "native_name": region["native_name"],
        "kind": region["kind"],
        "country": _country_code(Region, region["country"]),
        **_sources(related["sources"]),
    }


_APPROVAL_FIELDS = ["approval_number", "approval_status", "approval_date", "approval_date_precision"]

# kind: (row builder, fields read from the kind's table, {relation: reader of {pk: [values]} for a chunk's pks}).
ROW_BUILDERS = {
    "institutions": (
        _institution_row,
        ["slug", "name", "native_name", "abbreviation", "kind", "country", "city", "region", "website", "ror_id",
         "parent__name"],
        {"aliases": _aliases},
    ),
    "joint_institutes": (
        _joint_institute_row,
        ["slug", "name", "native_name", "city", "launched_on", "launched_on_precision", *_APPROVAL_FIELDS,
         "degree_model", "dean", "enrollment_target", "website"],
        {"members": _members, "sources": _cited_by("joint_institutes")},
    ),
    "programs": (
        _program_row,
        ["slug", "name", "level", "host__name", "joint_institute__name", "city", "degree_model", "duration_years",
         "annual_intake", "tuition_cny_per_year", "language", *_APPROVAL_FIELDS, "enrollment_start_year",
         "enrollment_end_year"],
        {"disciplines": _disciplines, "partners": _names("partnered_programs"), "sources": _cited_by("programs")},
    ),
    "agreements": (
        _agreement_row,
        ["slug", "title", "kind", "signed_on", "signed_on_precision", "scope", "status"],
        {"parties": _names("agreements"), "sources": _cited_by("agreements")},
    ),
    "figures": (
        _figure_row,
        [*(f"{field}__slug" for field in SUBJECT_FIELDS), "metric", "value", "unit", "qualifier", "period_start",
         "period_end", "note", "source__title", "source__url"],
        {},
    ),
    "sources": (_source_row, ["slug", "title", "publisher", "published_on", "url", "seed_file"], {}),
    "regions": (_region_row, ["slug", "name", "native_name", "kind", "country"], {"sources": _cited_by("region")}),
}


def _chunks(queryset, fields: list[str]) -> Iterator[list[dict]]:
    """The rows of ``queryset`` as dicts of ``pk`` and ``fields``, CHUNK_SIZE at a time."""
    rows = queryset.values("pk", *fields).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


def export_rows(kind: str, queryset) -> Iterator[dict[str, str]]:
    """Rows of ``kind`` for ``queryset`` (already filtered), in a stable order, streamed in chunks."""
    build_row, fields, relations = ROW_BUILDERS[kind]
    # Figures have no slug; import keeps file order, so pk order survives a round trip.
    ordering = ["pk"] if kind == "figures" else ["slug"]
    for chunk in _chunks(queryset.order_by(*ordering), fields):
        pks = [record["pk"] for record in chunk]
        linked = {name: read(pks) for name, read in relations.items()}
        for record in chunk:
            yield build_row(record, {name: values.get(record["pk"], []) for name, values in linked.items()})


def split_list(cell: str) -> list[str]:
    """The items of a list cell, stripped; an empty cell is an empty list."""
    return [item.strip() for item in cell.split(LIST_SEPARATOR)] if cell.strip() else []


def csv_chunks(kind: str, rows: Iterable[dict[str, str]]) -> Iterator[str]:
    """A CSV file (header first) as text chunks, for writing or streaming."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[kind])
    writer.writeheader()
    for number, row in enumerate(rows, start=1):
        writer.writerow(row)
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_record(kind: str, row: dict[str, str]) -> dict:
    """A row as a JSON object: list columns become arrays, every other value stays text."""
    lists = LIST_COLUMNS[kind]
    return {column: split_list(row[column]) if column in lists else row[column] for column in COLUMNS[kind]}


def json_chunks(kind: str, rows: Iterable[dict[str, str]]) -> Iterator[str]:
    """A JSON list of objects, one object a line, as text chunks."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(json_record(kind, row), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
