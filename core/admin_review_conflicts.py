"""No lost updates in the admin: a form saved after someone else saved its record changes nothing, and the
page then shows both changes field by field (theirs: history at the form's version → now; yours: that
version → what you submitted), kept in the session across the redirect back to the form."""
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.forms.formsets import all_valid
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import history, snapshots


def lines(value: str) -> list[str]:
    """A value of core.snapshots.changes as the lines it is shown in (parts are one per line)."""
    return [line for line in (value or "").split("\n") if line]


def saver_name(user) -> str:
    if user is None:
        return _("an unknown user")
    return user.get_full_name() or user.get_username()


def _base_snapshot(record, base_version: int):
    entry = history.entries(record).filter(version=base_version).exclude(snapshot=None).first()
    return entry.snapshot if entry is not None else None


def _savers(record, base_version: int) -> list[dict]:
    later = history.entries(record).filter(version__gt=base_version).select_related("history_user")
    return [
        {"who": saver_name(entry.history_user),
         "when": date_format(timezone.localtime(entry.history_date), "DATETIME_FORMAT"),
         "reason": entry.history_change_reason or ""}
        for entry in reversed(list(later))
    ]


class _Undo(Exception):
    """Rolls the trial save back, carrying what it read."""

    def __init__(self, snapshot, edited):
        super().__init__()
        self.snapshot, self.edited = snapshot, edited


def submitted_snapshot(model_admin, request, record, base: dict | None):
    """The record as the POSTed form would have left it had it been saved on ``base`` (None if the form
    is invalid), and the fields and parts the form edits.

    The form and its inlines are saved for real inside a savepoint on the record put back to ``base``
    (so the inline rows' ids match the ones the form was opened on), read, and rolled back. Where
    ``base`` does not fit the form (an entry written before some of its parts), the record as it is
    now is used instead.
    """
    for on in ([base, None] if base is not None else [None]):
        try:
            with transaction.atomic():
                raise _Undo(*_trial_save(model_admin, request, record, on))
        except _Undo as undo:
            if undo.snapshot is not None:
                return undo.snapshot, undo.edited
        except (DatabaseError, ValidationError):
            pass
    return None, set()


def _trial_save(model_admin, request, record, base):
    model = type(record)
    if base is not None:
        try:
            snapshots.restore(model, base)
        except snapshots.RestoreRefused:
            pass  # read the user's values against the record as it is now
    record = model._default_manager.get(pk=record.pk)
    fieldsets = model_admin.get_fieldsets(request, record)
    form_class = model_admin.get_form(request, record, change=True, fields=flatten_fieldsets(fieldsets))
    form = form_class(request.POST, request.FILES, instance=record)
    formsets, _inlines = model_admin._create_formsets(request, form.instance, change=True)
    if not (form.is_valid() and all_valid(formsets)):
        return None, set()
    form.save(commit=False).save()
    form.save_m2m()
    for formset in formsets:
        formset.save()
    edited = set(form.fields) | {formset.fk.remote_field.get_accessor_name() for formset in formsets
                                 if getattr(formset, "fk", None) is not None}
    return snapshots.take(model._default_manager.get(pk=record.pk)), edited


def describe(model_admin, request, record, base_version: int) -> dict:
    """The two changes, as JSON-ready data for the session: rows of label, base value, theirs and yours."""
    model = type(record)
    base = _base_snapshot(record, base_version)
    current = snapshots.take(record)
    theirs = {change.field: change for change in snapshots.changes(model, base, current)} if base else {}
    yours_snapshot, edited = submitted_snapshot(model_admin, request, record, base)
    yours = {}
    if yours_snapshot is not None:
        yours = {change.field: change for change in snapshots.changes(model, base or current, yours_snapshot)
                 if change.field in edited}
    rows = []
    for field in [*theirs, *(name for name in yours if name not in theirs)]:
        change = theirs.get(field) or yours[field]
        rows.append({
            "label": change.label,
            "base": lines(change.old),
            "theirs": lines(theirs[field].new) if field in theirs else None,
            "yours": lines(yours[field].new) if field in yours else None,
        })
    return {
        "base_version": base_version,
        "version": record.version,
        "rows": rows,
        "savers": _savers(record, base_version),
        "theirs_known": base is not None,
        "yours_known": yours_snapshot is not None,
    }


def _key(record) -> str:
    return f"registry-conflict:{record._meta.label_lower}:{record.pk}"


def keep(request, record, conflict: dict) -> None:
    request.session[_key(record)] = conflict


def take(request, record) -> dict | None:
    """The conflict kept for ``record`` by the last refused save, once."""
    return request.session.pop(_key(record), None)
