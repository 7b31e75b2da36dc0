"""Turning one row's cell text into Python values, noting every problem by column."""
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from django.utils.translation import gettext as _

from ..choices import DatePrecision

LIST_SEPARATOR = "|"
# UTF-8's byte-order mark: the listing downloads start with it (for Excel); the reader drops it.
BOM = "\ufeff"
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

# Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with one of these is run as a
# formula by Excel, LibreOffice or Google Sheets. writing.spreadsheet_safe() puts FORMULA_QUOTE before it.
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_QUOTE = "'"


def is_quoted_formula(text: str) -> bool:
    """Whether ``text`` is quote(s) then a formula starter: what spreadsheet_safe() writes (or would quote again)."""
    return text.startswith(FORMULA_QUOTE) and text.lstrip(FORMULA_QUOTE).startswith(FORMULA_STARTERS)


def from_spreadsheet(text: str) -> str:
    """The value a file cell holds: the inverse of writing.spreadsheet_safe().

    It drops the one quote the writer put before a formula starter ("'=SUM(A1)" is "=SUM(A1)");
    a genuine "'=x" was written "''=x" and comes back whole. Any other cell is read as it is.
    """
    return text[1:] if is_quoted_formula(text) else text


class Unresolved(Exception):
    """A reference (institution, discipline, source...) that names nothing usable."""


def split_list(cell: str) -> list[str]:
    """The items of a list cell, stripped; an empty cell is an empty list."""
    return [item.strip() for item in cell.split(LIST_SEPARATOR)] if cell.strip() else []


def normal_text(text: str) -> str:
    """Collapse runs of whitespace; names are compared and stored this way."""
    return " ".join(text.split())


def name_key(text: str) -> str:
    return normal_text(text).casefold()


def parse_date(text: str) -> tuple[date, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as (first day of the period, precision); ValueError otherwise."""
    match = DATE_PATTERN.match(text.strip())
    if not match or (match[3] and not match[2]):
        raise ValueError(_("'%(text)s' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") % {"text": text})
    year, month, day = match.groups()
    try:
        value = date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValueError(_("'%(text)s' is not a date (%(error)s)") % {"text": text, "error": error}) from error
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return value, precision


def parse_integer(text: str) -> int:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("'%(text)s' is not a whole number") % {"text": text})
    return int(number)


def parse_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("'%(text)s' is not a number") % {"text": text})
    return number


def web_address_problem(text: str) -> str:
    """Why ``text`` is not an http(s) address, or "" when it is one (or empty).

    Django's URLValidator also accepts ftp://, which a public registry should not link to.
    """
    if text and not text.lower().startswith(("http://", "https://")):
        return _("'%(text)s' is not a web address: it must start with http:// or https://") % {"text": text}
    return ""


class Cells:
    """One row's cells; each reader returns a value or None and records what was wrong."""

    def __init__(self, number: int, cells: dict[str, str], header: set[str], report: Callable[[int, str, str], None],
                 *, quoted: bool = True):
        self.number = number
        self.cells = cells
        # File cells carry the writer's formula quoting; text this importer already read (a deferred
        # reference, read again once the whole file is in) does not, and must not lose a quote twice.
        self.quoted = quoted
        self.header = header
        self._report = report
        self.failed: set[str] = set()

    def has(self, column: str) -> bool:
        return column in self.header

    def error(self, column: str | None, message: str) -> None:
        self.failed.add(column)
        self._report(self.number, column, message)

    def _cell(self, column: str) -> str:
        text = self.cells.get(column) or ""
        return from_spreadsheet(text) if self.quoted else text

    def raw(self, column: str) -> str:
        return self._cell(column).strip()

    def text(self, column: str) -> str:
        return normal_text(self._cell(column))

    def items(self, column: str) -> list[str]:
        return [normal_text(item) for item in split_list(self._cell(column))]

    def _parsed(self, column: str, parse):
        text = self.raw(column)
        if not text:
            return None
        try:
            return parse(text)
        except ValueError as error:
            self.error(column, str(error))
            return None

    def integer(self, column: str) -> int | None:
        return self._parsed(column, parse_integer)

    def decimal(self, column: str) -> Decimal | None:
        return self._parsed(column, parse_decimal)

    def dated(self, column: str) -> tuple[date | None, str]:
        parsed = self._parsed(column, parse_date)
        return parsed if parsed else (None, "")

    def full_date(self, column: str) -> date | None:
        value, precision = self.dated(column)
        if value and precision != DatePrecision.DAY:
            self.error(column, _("'%(text)s' is not a full date: use YYYY-MM-DD") % {"text": self.raw(column)})
            return None
        return value

    def url(self, column: str) -> str:
        text = self.raw(column)
        if problem := web_address_problem(text):
            self.error(column, problem)
        return text

    def reference(self, column: str, resolve: Callable):
        """The record a cell names, or None if the cell is empty or names nothing usable."""
        text = self.text(column)
        if not text:
            return None
        try:
            return resolve(text)
        except Unresolved as problem:
            self.error(column, str(problem))
            return None

    def references(self, column: str, resolve: Callable) -> list:
        """The records a list cell names, each once, in order."""
        found = {}
        for text in self.items(column):
            if not text:
                continue
            try:
                record = resolve(text)
            except Unresolved as problem:
                self.error(column, str(problem))
            else:
                found.setdefault(record.pk, record)
        return list(found.values())
