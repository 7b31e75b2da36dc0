"""django-import-export resources for the admin: each hands its rows to the registry's importer (core.fileformat).

The rules live in one place: the admin's preview is the importer's dry run, and
confirming runs the same import for real. A file either imports whole or not at all.
The preview lists what would change (old → new) and what would be created on the side;
confirming refuses records changed since the preview (their versions travel, signed,
in the confirm form). An editor's import creates drafts and proposes changes to
published records for review; only publishers may publish through an import.
"""
import os

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _, gettext_lazy
from import_export.admin import ImportMixin
from import_export.fields import Field
from import_export.formats.base_formats import CSV, JSON
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.resources import Resource
from import_export.results import Result, RowResult

from .fileformat import kinds
from .fileformat.importing import Row, Table, import_table
from .fileformat.reading import FileProblem, RowError, header_problem, json_cell, json_loads, nul_problems
from .review import can_publish

IMPORT_TYPES = {"created": RowResult.IMPORT_TYPE_NEW, "changed": RowResult.IMPORT_TYPE_UPDATE,
                "unchanged": RowResult.IMPORT_TYPE_SKIP, "kept": RowResult.IMPORT_TYPE_SKIP,
                # Nothing changes yet: the change waits for a publisher (and gets no "changed" log entry).
                "proposed": RowResult.IMPORT_TYPE_SKIP}
VERSIONS_SALT = "core.admin_import.versions"
# Larger files are refused before they are read (the admin holds a file in memory to preview it);
# ``manage.py import_registry`` streams files of any size. settings.REGISTRY_ADMIN_IMPORT_MAX_BYTES overrides it.
ADMIN_IMPORT_MAX_BYTES = 5 * 1024 * 1024


def admin_import_max_bytes() -> int:
    return getattr(settings, "REGISTRY_ADMIN_IMPORT_MAX_BYTES", ADMIN_IMPORT_MAX_BYTES)


class RegistryJSON(JSON):
    """JSON read by the importer's own reader: too deep nesting, NUL in a column name or numbers of any
    length give the file's problem, not an exception from the parser."""

    def create_dataset(self, in_stream):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        data = json_loads(in_stream.lstrip("\ufeff"))
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise FileProblem("the JSON file must hold a list of objects, one per record")
        headers = list(dict.fromkeys(key for item in data for key in item))
        header_problem(headers)
        return tablib.Dataset(*([item.get(key) for key in headers] for item in data), headers=headers)


def dataset_rows(dataset, *, first_number: int):
    """The rows of a tablib dataset as importer rows (lists joined with |, numbers as text)."""
    headers = [str(header or "").strip() for header in dataset.headers or []]
    for number, values in enumerate(dataset, start=first_number):
        cells, problems = {}, []
        for header, value in zip(headers, values):
            cells[header], problem = json_cell(value)
            if problem:
                problems.append(f"{header}: {problem}")
        problems += nul_problems(cells)
        if any(cell.strip() for cell in cells.values()) or problems:
            yield Row(number, cells, "; ".join(problems))


def error_line(error: RowError) -> str:
    """A problem as staff read it above the table: "Row 4, column tuition_cny_per_year: …"."""
    params = {"row": error.row, "column": error.column, "problem": error.message}
    if error.row is None:
        return _("The file: %(problem)s") % params
    if error.column:
        return _("Row %(row)s, column %(column)s: %(problem)s") % params
    return _("Row %(row)s: %(problem)s") % params


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
            row_result.outcome, row_result.number = outcome, number
            row_result.diff = [cells.get(column, "") for column in header]
            row_result.instance = record
            row_result.add_instance_info(record)
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)

        rows = list(dataset_rows(dataset, first_number=first_number))
        user = kwargs.get("user")
        report = import_table(
            Table(file_name, self.kind, header, rows), dry_run=dry_run, publish=kwargs.get("publish", False),
            on_row=on_row, user=user, reason=kwargs.get("reason", ""),
            proposer=user if user is not None and not can_publish(user) else None,
            expected_versions=kwargs.get("expected_versions"),
        )
        kwargs.get("preview", {})["versions"] = report.versions
        result.report = report
        result.error_lines = [error_line(error) for error in report.errors]
        result.warning_lines = [capfirst(line) for line in report.warning_lines(with_file=False, done=report.written)]
        result.rows.sort(key=lambda row_result: row_result.number)  # the run updates before it creates
        if report.errors:
            result.rows = []  # nothing was imported
            self._add_invalid_rows(result, report.errors, rows, header, header_row=1 if first_number == 2 else None)
        return result

    @staticmethod
    def _add_invalid_rows(result: Result, errors: list[RowError], rows: list[Row], header: list[str], *,
                          header_row: int | None) -> None:
        """The rows with problems, each showing the cells the file held (the header, for header problems)."""
        held = {row.number: row.cells for row in rows}
        if header_row is not None:
            held[header_row] = {column: column for column in header}
        by_row: dict = {}
        for error in errors:
            by_row.setdefault(error.row, {}).setdefault(error.column or NON_FIELD_ERRORS, []).append(error.message)
        for number, problems in by_row.items():
            cells = held.get(number, {})
            result.append_invalid_row(number if number is not None else "—",
                                      {column: cells.get(column, "") for column in header}, ValidationError(problems))


def resource_for(kind: str) -> type[RegistryResource]:
    return type(f"{kind.title().replace('_', '')}Resource", (RegistryResource,), {"kind": kind})


class RegistryImportForm(ImportForm):
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the imported records at once"), required=False,
        help_text=gettext_lazy("Otherwise new records are imported as drafts for review."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), required=False, max_length=1000,
        help_text=gettext_lazy("Kept in the history of every record the import creates or changes."),
    )

    def clean_import_file(self):
        upload = self.cleaned_data.get("import_file")
        limit = admin_import_max_bytes()
        # Checked on the size Django recorded while streaming the upload (to disk when large): never read whole.
        if upload is not None and upload.size > limit:
            raise ValidationError(_(
                "The file is %(size)s MB; the admin imports files of up to %(limit)s MB. Nothing was imported. "
                "Import larger files with the command “python manage.py import_registry FILE”, which reads "
                "them row by row."
            ) % {"size": f"{upload.size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:g}"})
        return upload


class RegistryConfirmImportForm(ConfirmImportForm):
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput())
    reason = forms.CharField(required=False, widget=forms.HiddenInput())
    # The versions of the records the preview showed, signed: confirming refuses records changed since.
    versions = forms.CharField(required=False, widget=forms.HiddenInput())

    def clean(self):
        cleaned = super().clean()
        try:
            preview = signing.loads(cleaned.get("versions") or "", salt=VERSIONS_SALT)
        except signing.BadSignature:
            preview = None
        if not isinstance(preview, dict) or preview.get("file") != cleaned.get("import_file_name"):
            raise ValidationError(_("This confirmation does not match the preview it came from. "
                                    "Nothing was imported: upload the file again."))
        cleaned["versions"] = preview["versions"]
        return cleaned


class RegistryImportMixin(ImportMixin):
    """Admin import (CSV or JSON, with a preview) of the kind named by ``import_kind``."""

    import_kind = ""
    import_form_class = RegistryImportForm
    confirm_form_class = RegistryConfirmImportForm
    import_formats = [CSV, RegistryJSON]
    import_template_name = "admin/import_export/registry_import.html"

    def get_import_resource_classes(self, request):
        return [resource_for(self.import_kind)]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileProblem):
            form.add_error("import_file", _("The file cannot be imported: %(problem)s.") % {"problem": e})
        elif isinstance(e, UnicodeDecodeError):
            form.add_error("import_file", _("The file is not UTF-8 text: save it as UTF-8 and upload it again."))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        # An import adds records and may change existing ones.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        if not can_publish(request.user):
            form.fields.pop("publish")
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["publish"] = bool(import_form.cleaned_data.get("publish"))
            initial["reason"] = import_form.cleaned_data.get("reason", "")
            preview = getattr(request, "registry_import_preview", {})
            initial["versions"] = signing.dumps(
                # The file as the confirm form names it (cleaned to its base name).
                {"file": os.path.basename(initial["import_file_name"]), "versions": preview.get("versions", {})},
                salt=VERSIONS_SALT, compress=True)
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form, request = kwargs.get("form"), kwargs.get("request")
        data = form.cleaned_data if form is not None else {}
        # The dry run leaves the versions it saw here, for the confirm form (get_confirm_form_initial).
        request.registry_import_preview = preview = {}
        return {
            "publish": bool(data.get("publish")) and can_publish(request.user),
            "reason": (data.get("reason") or "").strip(),
            "expected_versions": data.get("versions"),  # only the confirm form has them
            "preview": preview,
        }

    def process_result(self, result, request):
        if result.has_validation_errors():
            # The file or the records changed between preview and confirmation: nothing was written.
            for line in result.error_lines:
                messages.error(request, line)
            if result.report.conflicts:
                messages.error(request, _("Nothing was imported: records changed after the preview. "
                                          "Upload the file again to see what it would change now."))
            info = (self.opts.app_label, self.opts.model_name)
            return HttpResponseRedirect(reverse("admin:%s_%s_import" % info, current_app=self.admin_site.name))
        for line in result.warning_lines:
            messages.warning(request, line)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        counts = result.report.counts.get(self.import_kind, {})
        messages.success(request, _(
            "Import finished: %(created)d new, %(changed)d changed, %(proposed)d proposed for review, "
            "%(unchanged)d unchanged %(records)s."
        ) % {**{outcome: counts.get(outcome, 0) for outcome in ("created", "changed", "proposed", "unchanged")},
             "records": self.opts.verbose_name_plural})
