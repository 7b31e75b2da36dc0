"""Reading import files: the kind (from --kind, the file name or the header), rows streamed as dicts of text.

CSV rows are numbered as a spreadsheet shows them (the header is row 1); JSON rows
are the objects of the list, counted from 1.
"""
import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from django.utils.translation import gettext as _, gettext_lazy

from .cells import BOM, LIST_SEPARATOR
from .kinds import kinds

FORMATS = ("csv", "json")
# A file is a list of objects whose values may be lists: three levels of [ and {. Deeper nesting
# is refused before parsing, so a hostile file cannot exhaust the parser's recursion.
JSON_MAX_DEPTH = 3
JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
NUL = "\x00"
NUL_PROBLEM = gettext_lazy("contains a NUL character (\\0), which no value may hold: remove it")


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class FileProblem(Exception):
    """A file that cannot be read as a table at all."""


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    problem: str = ""


@dataclass
class Table:
    """One file to import: its display name, kind, header and a stream of rows."""

    name: str
    kind: str
    header: list[str]
    rows: Iterable[Row]
    closers: list = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


def file_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileProblem(_("unknown format '%(suffix)s': name the file .csv or .json") % {"suffix": path.suffix})
    return suffix


def kind_of(path: Path, header: list[str], kind: str | None = None) -> str:
    """What the file holds: ``kind`` when given, else the file's name (programs.csv), else its header."""
    if kind:
        if kind not in kinds:
            raise FileProblem(_("unknown kind '%(kind)s' (the kinds are: %(kinds)s)") % {
                "kind": kind, "kinds": ", ".join(kinds.names)})
        return kind
    if path.stem.lower() in kinds:
        return path.stem.lower()
    fitting = kinds.for_header(header)
    if len(fitting) == 1:
        return fitting[0].name
    wanted = "; ".join(f"{k.name} ({', '.join(k.required)})" for k in kinds)
    if fitting:
        raise FileProblem(_("the header fits several kinds (%(kinds)s): name the file after its kind or give --kind")
                          % {"kinds": ", ".join(k.name for k in fitting)})
    raise FileProblem(_("cannot tell what the file holds: its header is not that of any kind. Name the file after "
                        "its kind or give --kind. The kinds and their required columns: %(kinds)s") % {"kinds": wanted})


def open_table(path: Path, kind: str | None = None) -> Table:
    """Open ``path`` for streaming; CSV is read row by row, JSON is loaded whole."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise FileProblem(_("cannot open the file (%(error)s)") % {"error": error.strerror}) from error
    try:
        if file_format(path) == "csv":
            header, rows = csv_rows(handle)
        else:
            header, rows = json_rows(json_load(handle))
        kind = kind_of(path, header, kind)
    except (FileProblem, UnicodeDecodeError, csv.Error):
        handle.close()
        raise
    return Table(path.name, kind, header, rows, closers=[handle.close])


def csv_rows(lines: Iterable[str]) -> tuple[list[str], Iterator[Row]]:
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise FileProblem(_("the file is empty: it needs a header row"))
    # A byte-order mark (the listing downloads start with one, for Excel) is not part of the first column's name.
    header = [cell.strip() for cell in [header[0].lstrip(BOM), *header[1:]]]
    header_problem(header)

    def rows() -> Iterator[Row]:
        number = 1
        try:
            for number, values in enumerate(reader, start=2):
                if row := csv_row(number, values):
                    yield row
        except (csv.Error, UnicodeDecodeError) as error:
            # Read as a stream, a file can go bad after its first rows (an over-long cell, bytes that are not
            # UTF-8): the row where it does is the problem, and reading stops there.
            problem = (_("the file is not UTF-8 text from here on: save it as UTF-8")
                       if isinstance(error, UnicodeDecodeError)
                       else _("the file is not well-formed CSV here (%(error)s)") % {"error": error})
            yield Row(number + 1, {}, problem)

    def csv_row(number: int, values: list[str]) -> Row | None:
        if not any(value.strip() for value in values):
            return None
        problems = []
        if len(values) > len(header):
            problems.append(f"the row has {len(values)} cells but the header only {len(header)}")
        cells = dict(zip(header, values))
        problems += nul_problems(cells)
        return Row(number, cells, "; ".join(problems))

    return header, rows()


def header_problem(header: list[str]) -> None:
    for column in header:
        if NUL in column:
            raise FileProblem(_("the header's column '%(column)s' %(problem)s") % {
                "column": column.replace(NUL, ""), "problem": NUL_PROBLEM})


def nul_problems(cells: dict[str, str]) -> list[str]:
    """A problem per cell holding NUL (PostgreSQL refuses it in text); such cells are emptied."""
    problems = []
    for column, value in cells.items():
        if isinstance(value, str) and NUL in value:
            problems.append(f"{column}: {NUL_PROBLEM}")
            cells[column] = ""
    return problems


def json_depth(text: str) -> int:
    """How deeply the lists and objects of a JSON text nest (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > JSON_MAX_DEPTH:
                    return deepest
        elif token in "]}":
            depth -= 1
    return deepest


def json_loads(text: str):
    """The JSON text's data; numbers as Decimal (any length, exactly); a FileProblem for what cannot be read."""
    if json_depth(text) > JSON_MAX_DEPTH:
        raise FileProblem(_("the JSON nests deeper than the format allows (%(levels)d levels: a list of objects, "
                            "one per record, whose values are text, numbers or lists of them)") % {"levels": JSON_MAX_DEPTH})
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as error:
        raise FileProblem(_("not valid JSON (line %(line)d, column %(column)d: %(error)s)") % {
            "line": error.lineno, "column": error.colno, "error": error.msg}) from error
    except (ValueError, RecursionError) as error:
        raise FileProblem(_("not valid JSON (%(error)s)") % {"error": error}) from error


def json_load(handle):
    return json_loads(handle.read())


def json_rows(data) -> tuple[list[str], Iterator[Row]]:
    """Rows of a JSON list of objects; the header is every key any object uses, in first-seen order."""
    if not isinstance(data, list):
        raise FileProblem(_("the JSON file must hold a list of objects, one per record"))
    header = list(dict.fromkeys(key for item in data if isinstance(item, dict) for key in item))
    header_problem(header)

    def rows() -> Iterator[Row]:
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                yield Row(number, {}, "each item of the list must be an object with the file's columns")
                continue
            cells, problems = {}, []
            for key, value in item.items():
                text, problem = json_cell(value)
                cells[key] = text
                if problem:
                    problems.append(f"{key}: {problem}")
            problems += nul_problems(cells)
            yield Row(number, cells, "; ".join(problems))

    return header, rows()


def json_cell(value) -> tuple[str, str]:
    """A JSON value as cell text: lists join with |; returns (text, problem)."""
    if value is None:
        return "", ""
    if isinstance(value, bool) or isinstance(value, dict):
        return "", _("use text, a number or a list")
    if isinstance(value, list):
        items = []
        for item in value:
            text, problem = json_cell(item)
            if problem or isinstance(item, list) or LIST_SEPARATOR in text:
                return "", _("list items must be text or numbers without '%(separator)s'") % {"separator": LIST_SEPARATOR}
            items.append(text)
        return LIST_SEPARATOR.join(items), ""
    if isinstance(value, Decimal):
        # 1e999999999 written out would be a billion digits: keep the exponent (the column refuses it).
        return (f"{value:f}" if value.is_finite() and abs(value.adjusted()) <= 100 else str(value)), ""
    return str(value), ""
