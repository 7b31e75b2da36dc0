"""The registry's open-data file format: one table per kind, shared by CSV downloads, export and import.

Lists inside a cell are separated by ``|``; countries are ISO 3166-1 alpha-2;
disciplines are ``CATALOGUE:CODE``; dates are ISO 8601 at the precision the
source states (``2025-05`` for "May 2025"); an empty cell means unknown.
Institutions are named by their English name; figure subjects by slug.
"""
import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date

from catalog.choices import DatePrecision
from catalog.models import Institution, Region, Source

from .models import Agreement, Figure, JointInstitute, Program

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


def _sources(record) -> dict[str, str]:
    sources = sorted(record.sources.all(), key=lambda source: source.title)
    return {"source_title": join(s.title for s in sources), "source_url": join(s.url for s in sources)}


def _institution_row(institution: Institution) -> dict[str, str]:
    return {
        "slug": institution.slug,
        "name": institution.name,
        "native_name": institution.native_name,
        "abbreviation": institution.abbreviation,
        "aliases": join(alias.name for alias in institution.aliases.all()),
        "kind": institution.kind,
        "country": institution.country.code,
        "city": institution.city,
        "region": institution.region,
        "website": institution.website,
        "parent": institution.parent.name if institution.parent else "",
        "ror_id": institution.ror_id,
    }


def _joint_institute_row(institute: JointInstitute) -> dict[str, str]:
    return {
        "slug": institute.slug,
        "name": institute.name,
        "native_name": institute.native_name,
        "hosts": join(host.name for host in institute.hosts),
        "partners": join(partner.name for partner in institute.partners),
        "city": institute.city,
        "launched_on": format_date(institute.launched_on, institute.launched_on_precision),
        "approval_number": institute.approval_number,
        "approval_status": institute.approval_status,
        "approval_date": format_date(institute.approval_date, institute.approval_date_precision),
        "degree_model": institute.degree_model,
        "dean": institute.dean,
        "enrollment_target": text(institute.enrollment_target),
        "website": institute.website,
        **_sources(institute),
    }


def _program_row(program: Program) -> dict[str, str]:
    return {
        "slug": program.slug,
        "name": program.name,
        "level": program.level,
        "disciplines": join(discipline.key for discipline in program.disciplines.all()),
        "host": program.host.name,
        "partners": join(partner.name for partner in program.partners.all()),
        "joint_institute": program.joint_institute.name if program.joint_institute else "",
        "city": program.city,
        "degree_model": program.degree_model,
        "duration_years": text(program.duration_years),
        "annual_intake": text(program.annual_intake),
        "tuition_cny_per_year": text(program.tuition_cny_per_year),
        "language": program.language,
        "approval_number": program.approval_number,
        "approval_status": program.approval_status,
        "approval_date": format_date(program.approval_date, program.approval_date_precision),
        "enrollment_start_year": text(program.enrollment_start_year),
        "enrollment_end_year": text(program.enrollment_end_year),
        **_sources(program),
    }


def _agreement_row(agreement: Agreement) -> dict[str, str]:
    return {
        "slug": agreement.slug,
        "title": agreement.title,
        "kind": agreement.kind,
        "parties": join(party.name for party in agreement.parties.all()),
        "signed_on": format_date(agreement.signed_on, agreement.signed_on_precision),
        "scope": agreement.scope,
        "status": agreement.status,
        **_sources(agreement),
    }


def _figure_row(figure: Figure) -> dict[str, str]:
    subject = figure.subject
    return {
        "subject_type": Figure.subject_field_for(subject),
        "subject": subject.slug,
        "metric": figure.metric,
        "value": f"{figure.value.normalize():f}",
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "period_start": text(figure.period_start),
        "period_end": text(figure.period_end),
        "note": figure.note,
        "source_title": figure.source.title,
        "source_url": figure.source.url,
    }


def _source_row(source: Source) -> dict[str, str]:
    return {
        "slug": source.slug,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": format_date(source.published_on),
        "url": source.url,
        "seed_file": source.seed_file,
    }


def _region_row(region: Region) -> dict[str, str]:
    return {
        "slug": region.slug,
        "name": region.name,
        "native_name": region.native_name,
        "kind": region.kind,
        "country": region.country.code,
        **_sources(region),
    }


ROW_BUILDERS = {
    "institutions": (_institution_row, lambda qs: qs.with_related()),
    "joint_institutes": (_joint_institute_row, lambda qs: qs.with_related()),
    "programs": (_program_row, lambda qs: qs.with_related()),
    "agreements": (_agreement_row, lambda qs: qs.with_related()),
    "figures": (_figure_row, lambda qs: qs.with_related()),
    "sources": (_source_row, lambda qs: qs),
    "regions": (_region_row, lambda qs: qs.prefetch_related("sources")),
}


def export_rows(kind: str, queryset) -> Iterator[dict[str, str]]:
    """Rows of ``kind`` for ``queryset`` (already filtered), in a stable order, streamed in chunks."""
    build_row, prepare = ROW_BUILDERS[kind]
    # Figures have no slug; import keeps file order, so pk order survives a round trip.
    ordering = ["pk"] if kind == "figures" else ["slug"]
    # chunk_size keeps memory flat on large tables while still using the prefetches.
    for record in prepare(queryset).order_by(*ordering).iterator(chunk_size=2000):
        yield build_row(record)


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
