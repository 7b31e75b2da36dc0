"""PreciseDateField: one box for a date at its source's precision, read as the importer reads it."""
from datetime import date

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from core.choices import DatePrecision
from core.fileformat.columns import format_date
from core.forms import PreciseDateField, StatedDate


class DateForm(forms.Form):
    approved = PreciseDateField(required=False)


@pytest.mark.parametrize(("typed", "stated"), [
    ("2025", StatedDate(date(2025, 1, 1), DatePrecision.YEAR)),
    ("2025-05", StatedDate(date(2025, 5, 1), DatePrecision.MONTH)),
    ("2025-05-14", StatedDate(date(2025, 5, 14), DatePrecision.DAY)),
    ("  2025-05 ", StatedDate(date(2025, 5, 1), DatePrecision.MONTH)),
    ("", None),
])
def test_the_three_forms_clean_to_a_date_and_its_precision(typed, stated):
    form = DateForm({"approved": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["approved"] == stated


@pytest.mark.parametrize("typed", ["2025-13", "2025-02-30", "May 2025", "2025-5", "25", "2025/05", "14.05.2025"])
def test_anything_else_is_refused_with_the_forms_it_accepts(typed):
    form = DateForm({"approved": typed})
    assert not form.is_valid()
    assert form.errors["approved"] == [
        f"“{typed}” is not a date. Type it at the precision the source gives: "
        "2025 (a year), 2025-05 (a month) or 2025-05-14 (a day)."
    ]


def test_a_required_field_says_so():
    class RequiredForm(forms.Form):
        approved = PreciseDateField()

    form = RequiredForm({"approved": " "})
    assert not form.is_valid() and form.errors["approved"] == ["This field is required."]


@pytest.mark.parametrize(("stated", "shown"), [
    (StatedDate(date(2024, 1, 1), DatePrecision.YEAR), "2024"),
    (StatedDate(date(2024, 5, 1), DatePrecision.MONTH), "2024-05"),
    (StatedDate(date(2024, 5, 9), DatePrecision.DAY), "2024-05-09"),
])
def test_a_stored_date_is_shown_at_its_precision(stated, shown):
    form = DateForm(initial={"approved": stated})
    assert f'value="{shown}"' in str(form["approved"])


def test_retyping_the_same_date_is_no_change_and_another_precision_is():
    field = PreciseDateField()
    stored = StatedDate(date(2024, 5, 1), DatePrecision.MONTH)
    assert not field.has_changed(stored, "2024-05")
    assert field.has_changed(stored, "2024-05-01")
    assert field.has_changed(stored, "not a date")
    assert not field.has_changed(None, "")


@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from(DatePrecision.values))
def test_what_the_exporter_writes_the_form_reads_back(value, precision):
    typed = format_date(value, precision)
    cleaned = PreciseDateField().clean(typed)
    assert cleaned.precision == precision
    assert format_date(cleaned.date, cleaned.precision) == typed
