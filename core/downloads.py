"""File names of the listing downloads: what was filtered and when, e.g. ``programs_country-RU_2026-11-24.csv``.

"_" separates the kind, the filters and the day, "+" a filter's values; within a part there are letters,
digits and "-" only (anything else becomes "-"), each value and the whole selection cut to a bounded length.
Sorting and the page are no filters, so they are left out. The ``filename`` parameter is its ASCII form; ``filename*``
(RFC 5987/6266) keeps letters of any script, so ``q=远东`` is named ``programs_q-远东_….csv``.
"""
import re
import unicodedata
from datetime import date
from urllib.parse import quote

from django_filters import OrderingFilter

VALUE_LENGTH = 40
SELECTION_LENGTH = 120
UNSAFE = re.compile(r"[^\w-]+|_+")  # "_" separates the name's parts; it may not appear inside one
NOT_ASCII = re.compile(r"[^A-Za-z0-9-]+")


def _part(text: str, unsafe: re.Pattern, length: int) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"-{2,}", "-", unsafe.sub("-", text)).strip("-")[:length].strip("-")


def _name(kind: str, selection: list[tuple[str, list[str]]], day: date, extension: str, unsafe: re.Pattern) -> str:
    parts = []
    for parameter, values in selection:
        name = _part(parameter, unsafe, VALUE_LENGTH)
        value = "+".join(part for part in (_part(v, unsafe, VALUE_LENGTH) for v in values) if part)
        parts.append(f"{name}-{value}" if value else name)
    chosen = "_".join(part for part in parts if part)[:SELECTION_LENGTH].strip("-_+")
    return "_".join(part for part in (kind, chosen, day.isoformat()) if part) + f".{extension}"


def selection(filterset) -> list[tuple[str, list[str]]]:
    """The filters a bound, valid filterset uses (by name; sorting is not a filter), each with its values.

    Values are the cleaned ones where they are text (country codes upper-cased), else as typed; sorted.
    """
    chosen = []
    for name in sorted(filterset.filters):
        if isinstance(filterset.filters[name], OrderingFilter):
            continue
        cleaned = filterset.form.cleaned_data.get(name)
        cleaned = [cleaned] if isinstance(cleaned, str) else cleaned
        typed = cleaned if isinstance(cleaned, list) and all(isinstance(v, str) for v in cleaned) \
            else filterset.data.getlist(name)
        values = sorted({value.strip() for value in typed if value.strip()})
        if values:
            chosen.append((name, values))
    return chosen


def content_disposition(kind: str, chosen: list[tuple[str, list[str]]], day: date, extension: str) -> str:
    """The Content-Disposition header of a download: ``filename`` in ASCII and ``filename*`` in UTF-8."""
    ascii_name = _name(kind, chosen, day, extension, NOT_ASCII)
    full_name = _name(kind, chosen, day, extension, UNSAFE)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"
