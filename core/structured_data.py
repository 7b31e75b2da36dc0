"""Building blocks of the schema.org data (JSON-LD) on detail pages; each app describes its own records
(``catalog/structured_data.py``, ``partnerships/structured_data.py``) and ``{% json_ld %}`` writes them.

Only facts the registry holds go in: an unknown is left out, never guessed, and only published
records are named.
"""
from decimal import Decimal

from .choices import DatePrecision

CONTEXT = "https://schema.org"


def compact(data: dict) -> dict:
    """``data`` without its empty values (unknowns are left out, not written as null)."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def iso_date(value, precision: str) -> str:
    """An ISO 8601 date at the precision the source states: "2025", "2025-05" or "2025-05-14"."""
    if not value:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def iso_duration(years: Decimal | None) -> str:
    """An ISO 8601 duration for a number of years: 4 → "P4Y", 1.5 → "P1Y6M"."""
    if not years:
        return ""
    whole, months = int(years), round((years - int(years)) * 12)
    return "P" + (f"{whole}Y" if whole else "") + (f"{months}M" if months else "")


def reference(record, request, type_: str = "CollegeOrUniversity") -> dict:
    """A published record named by another's data: its type, name and page address."""
    return compact({"@type": type_, "name": record.name, "url": request.build_absolute_uri(record.get_absolute_url())})


def country_address(country, city: str = "", region: str = "") -> dict:
    return compact({"@type": "PostalAddress", "addressLocality": city, "addressRegion": region,
                    "addressCountry": getattr(country, "code", country)})
