"""django-import-export resources for the admin: each hands its rows to the registry's importer (core.fileformat).

The rules live in one place: the admin's preview is the importer's dry run, and
confirming runs the same import for real. A file either imports whole or not at all.
"""
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, JSON
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.resources import Resource
from import_export.results import Result, RowResult

from .fileformat import kinds
from .fileformat.importing import Row, Table, import_table
from .fileformat.reading import json_cell

IMPORT_TYPES = {"created": RowResult.IMPORT_TYPE_NEW, "changed": RowResult.IMPORT_TYPE_UPDATE,
                "unchanged": RowResult.IMPORT_TYPE_SKIP, "kept": RowResult.IMPORT_TYPE_SKIP}


def dataset_rows(dataset, *, first_number: int):
    """The rows of a tablib dataset as importer rows (lists joined with |, numbers as text)."""
    headers = [str(header or "").strip() for header in dataset.headers or []]
    for number, values in enumerate(dataset, start=first_number):
        cells, problems = {}, []
        for header, value in zip(headers, values):
            cells[header], problem = json_cell(value)
            if problem:
                problems.append(f"{header}: {problem}")
        if any(cell.strip() for cell in cells.values()) or problems:
            yield Row(number, cells, "; ".join(problems))


class RegistryResource(Resource):
    """Imports one kind of registry file (``kind``) through the import_registry checks."""

    kind = ""

    @classmethod
    def get_display_name(cls):
        return f"{cls.kind} ({', '.join(kinds[cls.kind].headers)})"

    def get_user_visible_fields(self):
        return [Field(column_name=column) for column in kinds[self.kind].headers]

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        file_name = kwargs.get("file_name") or f"{self.kind}.csv"
        first_number = 1 if file_name.lower().endswith(".json") else 2
        header = [str(header or "").strip() for header in dataset.headers or []]
        result = Result()
        result.diff_headers = header

        def on_row(kind, number, outcome, record, cells):
            row_result = RowResult()
            row_result.import_type = IMPORT_TYPES[outcome]
            row_result.diff = [cells.get(column, "") for column in header]
            row_result.instance = record
            row_result.add_instance_info(record)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)

        table = Table(file_name, self.kind, header, dataset_rows(dataset, first_number=first_number))
        report = import_table(table, dry_run=dry_run, publish=kwargs.get("publish", False), on_row=on_row)
        if report.errors:
            result.rows = []  # nothing was imported
            by_row: dict = {}
            for error in report.errors:
                by_row.setdefault(error.row, {}).setdefault(error.column or NON_FIELD_ERRORS, []).append(error.message)
            for number, problems in by_row.items():
                result.append_invalid_row(number if number is not None else "—", {}, ValidationError(problems))
        return result


def resource_for(kind: str) -> type[RegistryResource]:
    return type(f"{kind.title().replace('_', '')}Resource", (RegistryResource,), {"kind": kind})


class RegistryImportForm(ImportForm):
    publish = forms.BooleanField(
        label=_("Publish the imported records at once"), required=False,
        help_text=_("Otherwise new records are imported as drafts for review."),
    )


class RegistryConfirmImportForm(ConfirmImportForm):
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput())


class RegistryImportMixin(ImportMixin):
    """Admin import (CSV or JSON, with a preview) of the kind named by ``import_kind``."""

    import_kind = ""
    import_form_class = RegistryImportForm
    confirm_form_class = RegistryConfirmImportForm
    import_formats = [CSV, JSON]

    def get_import_resource_classes(self, request):
        return [resource_for(self.import_kind)]

    def has_import_permission(self, request):
        # An import adds records and may change existing ones.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        if not self.has_change_permission(request):
            form.fields.pop("publish")
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["publish"] = bool(import_form.cleaned_data.get("publish"))
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form, request = kwargs.get("form"), kwargs.get("request")
        wants = bool(form is not None and form.cleaned_data.get("publish"))
        return {"publish": wants and request is not None and self.has_change_permission(request)}

    def process_result(self, result, request):
        if result.has_validation_errors():
            # The file changed between preview and confirmation (or the data did): nothing was written.
            for row in result.invalid_rows:
                for column, problems in row.error_dict.items():
                    for problem in problems:
                        messages.error(request, _("Row %(row)s, column %(column)s: %(problem)s") % {
                            "row": row.number, "column": column, "problem": problem})
            info = (self.opts.app_label, self.opts.model_name)
            return HttpResponseRedirect(reverse("admin:%s_%s_import" % info, current_app=self.admin_site.name))
        return super().process_result(result, request)
