"""Writing records in the file format: rows from the database, then CSV or JSON text (XLSX: xlsx.py).

Rows are built from ``values()`` and one query per link column and chunk, not from model
instances: building instances with a related manager per relation took ten times as long as
the SQL (bench/pages.py, /programs/export.csv).

Every CSV and XLSX cell goes through spreadsheet_safe() here (safe_row), the one place that quotes formula-like
cells (listing downloads, /data/ files and export_registry all write with csv_chunks);
cells.from_spreadsheet() is its inverse, which the importer applies to every cell it reads.
"""
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from .cells import BOM, FORMULA_QUOTE, FORMULA_STARTERS, is_quoted_formula, split_list
from .kinds import Kind

CHUNK_SIZE = 2000  # rows per chunk; keeps memory flat on large tables
# A plain negative number ("-5", "-0.25") is a number to a spreadsheet, never a formula: kept as it is,
# so figures stay numbers for researchers. The importer reads it back either way.
PLAIN_NUMBER = re.compile(r"-\d+(?:\.\d+)?")
_QUOTABLE = (FORMULA_QUOTE, *FORMULA_STARTERS)


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs as a formula (OWASP's advice on CSV injection).

    A cell starting with =, +, -, @, tab or carriage return gets a ' in front, which spreadsheets
    show as text; a value that already starts with quotes before one of those gets one more, so
    cells.from_spreadsheet() reads back exactly the value written.
    """
    if not text.startswith(_QUOTABLE) or PLAIN_NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_STARTERS) or is_quoted_formula(text):
        return FORMULA_QUOTE + text
    return text


def _json_safe(text: str) -> str:
    """JSON values stay as they are (no spreadsheet runs them), except a value that already looks
    quoted ("'=x"): it gets one more ', as in CSV, since the importer unquotes every file's cells."""
    return FORMULA_QUOTE + text if is_quoted_formula(text) else text


def _chunks(queryset, fields: list[str]) -> Iterator[list[dict]]:
    """The rows of ``queryset`` as dicts of ``pk`` and ``fields``, CHUNK_SIZE at a time."""
    rows = queryset.values("pk", *fields).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


def export_rows(kind: Kind, queryset, *, absolute_uri: Callable[[str], str] | None = None
                ) -> Iterator[dict[str, str]]:
    """Rows of ``kind`` for ``queryset`` (already filtered), in a stable order, streamed in chunks.

    With ``absolute_uri`` (a request's build_absolute_uri), rows also carry the kind's export-only
    columns (``kind.derived``: page addresses need the site's address), as the public downloads do.
    """
    derived = kind.derived if absolute_uri else []
    writers = {column.name: column.writer(absolute_uri) for column in derived}
    fields = list(dict.fromkeys([*kind.value_fields(),
                                 *(field for column in derived for field in column.value_fields())]))
    # Kinds without slugs are written in key order (pk); import keeps file order, so it survives a round trip.
    for chunk in _chunks(queryset.order_by(*kind.order_by), fields):
        pks = [record["pk"] for record in chunk]
        related = {column.name: column.related(pks) or {} for column in [*kind.columns, *derived]}
        for record in chunk:
            row = {}
            for column in kind.columns:
                row.update(column.write(record, related[column.name].get(record["pk"], [])))
            for column in derived:
                row.update(writers[column.name](record, related[column.name].get(record["pk"], [])))
            yield row


def csv_chunks(kind: Kind, rows: Iterable[dict[str, str]], *, header: list[str] | None = None,
               bom: bool = False) -> Iterator[str]:
    """A CSV file (header first) as text chunks, for writing or streaming.

    ``bom`` starts it with a UTF-8 byte-order mark, without which Excel reads UTF-8 as a legacy code page
    (Chinese turns to mojibake); machine-read files (/data/, export_registry) go without.
    """
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=header or kind.headers, extrasaction="ignore")
    writer.writeheader()
    for number, row in enumerate(rows, start=1):
        writer.writerow(safe_row(row))
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def safe_row(row: dict) -> dict:
    """The row with every text cell spreadsheet_safe(): CSV and XLSX alike."""
    return {header: spreadsheet_safe(value) if isinstance(value, str) else value for header, value in row.items()}


def json_record(kind: Kind, row: dict[str, str]) -> dict:
    """A row as a JSON object: list columns become arrays, every other value stays text.

    Export-only columns are written when the row has them (public downloads).
    """
    lists = kind.list_headers
    record = {}
    for header in kind.headers + [header for header in kind.derived_headers if header in row]:
        value = _json_safe(row[header])
        record[header] = split_list(value) if header in lists else value
    return record


def json_chunks(kind: Kind, rows: Iterable[dict[str, str]]) -> Iterator[str]:
    """A JSON list of objects, one object a line, as text chunks."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(json_record(kind, row), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"
