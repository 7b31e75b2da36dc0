"""Form fields every domain app's admin forms share: a date typed at the precision its source gives."""
from datetime import date
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .choices import DatePrecision
from .fileformat.cells import parse_date
from .fileformat.columns import format_date


class StatedDate(NamedTuple):
    """A date and how much of it the source states (a ``DatePrecision``)."""

    date: date
    precision: str

    def __str__(self) -> str:
        return format_date(self.date, self.precision)


class PreciseDateField(forms.CharField):
    """One text box for ``2025``, ``2025-05`` or ``2025-05-14``; cleans to a ``StatedDate`` (None when empty).

    It reads dates with the importer's parser, so a form and an import file accept the same text.
    """

    default_error_messages = {
        "invalid": _("“%(value)s” is not a date. Type it at the precision the source gives: "
                     "2025 (a year), 2025-05 (a month) or 2025-05-14 (a day)."),
    }

    def __init__(self, **options):
        options.setdefault("max_length", 10)
        options.setdefault("help_text", _("As precise as the source: 2025, 2025-05 or 2025-05-14."))
        options.setdefault("widget", forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "size": 12}))
        super().__init__(**options)

    def to_python(self, value) -> StatedDate | None:
        if isinstance(value, StatedDate):
            return value
        if isinstance(value, date):
            return StatedDate(value, DatePrecision.DAY)
        text = super().to_python(value)
        if not text:
            return None
        try:
            return StatedDate(*parse_date(text))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text}) from None

    def prepare_value(self, value):
        return str(value) if isinstance(value, StatedDate) else super().prepare_value(value)

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class PreciseDatesFormMixin:
    """For ModelForms: each declared ``PreciseDateField`` fills its model field and the ``<field>_precision``
    beside it, and shows a stored date at its precision ("2024", "2024-05").

    Leave ``<field>_precision`` out of the form (``Meta.exclude``): this field sets it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name in self.precise_dates:
            field = self.fields[name]
            model_field = model._meta.get_field(name)
            if field.label is None:
                field.label = capfirst(model_field.verbose_name)
            initial = self.initial.get(name)
            if isinstance(initial, date):
                # The stored date, shown as much as its source states; any other date as a day.
                stored = initial == getattr(self.instance, name)
                precision = getattr(self.instance, f"{name}_precision") if stored else ""
                self.initial[name] = StatedDate(initial, precision or DatePrecision.DAY)

    @property
    def precise_dates(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, PreciseDateField)]

    def clean(self):
        cleaned_data = super().clean()
        for name in self.precise_dates:
            if name in cleaned_data:
                stated = cleaned_data[name]
                cleaned_data[name] = stated.date if stated else None
                cleaned_data[f"{name}_precision"] = stated.precision if stated else ""
                # The precision has no form field, so the form would not set it on the record.
                setattr(self.instance, f"{name}_precision", cleaned_data[f"{name}_precision"])
        return cleaned_data

    def _update_errors(self, errors):
        # The model reports a date's precision apart from the date; here both are one field.
        if hasattr(errors, "error_dict"):
            for name in self.precise_dates:
                moved = errors.error_dict.pop(f"{name}_precision", None)
                if moved:
                    errors.error_dict.setdefault(name, []).extend(moved)
        super()._update_errors(errors)
