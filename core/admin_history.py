"""History in the admin: every change with who, when, why and what (relations included), revert, restore.

The views replace simple-history's: its list diffs only a record's own columns, and its revert
re-saves the old columns through the change form, leaving relations as they are. Here every entry
is read from its snapshot (core.snapshots), and reverting or restoring writes the whole snapshot
back through core.review, refused with the reason when it would break a rule.
"""
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _, gettext_noop
from simple_history.utils import get_history_manager_for_model

from . import history, review, snapshots
from .choices import PublicationState

# The reason core.review.revert gives its entries; an entry whose reason starts so is a revert.
REVERT_REASON = gettext_noop("Reverted to the version of %(when)s")


@dataclass(frozen=True)
class HistoryRow:
    """One history entry as staff read it."""

    entry: object
    action: str
    changes: list[snapshots.Change]


def _is_revert(reason: str | None) -> bool:
    prefixes = {REVERT_REASON.split("%(")[0], _(REVERT_REASON).split("%(")[0]}
    return bool(reason) and any(reason.startswith(prefix) for prefix in prefixes)


def action_of(entry, previous) -> str:
    """What the entry did: created, changed, deleted, restored (after a deletion) or reverted."""
    if entry.history_type == "-":
        return _("deleted")
    if entry.history_type == "+":
        return _("restored") if previous is not None else _("created")
    return _("reverted") if _is_revert(entry.history_change_reason) else _("changed")


def _plain(field, value) -> str:
    """A value of simple-history's own diff as text (entries from before snapshots)."""
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(localize(value))


def entry_changes(model, entry, previous) -> list[snapshots.Change]:
    """What ``entry`` changed since ``previous`` (None for the first entry), relations included."""
    if entry.snapshot and (previous is None or previous.snapshot):
        return snapshots.changes(model, previous.snapshot if previous else None, entry.snapshot)
    if previous is None:
        return []
    # Older entries carry no snapshot: fall back on simple-history's diff of the record's own columns.
    delta = entry.diff_against(previous, excluded_fields=snapshots.VOLATILE, foreign_keys_are_objs=True)
    result = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        result.append(snapshots.Change(change.field, str(field.verbose_name),
                                       _plain(field, change.old), _plain(field, change.new)))
    return result


def record_name(entry) -> str:
    """The record as the entry shows it, even when what its name depends on is gone."""
    try:
        return str(entry.instance)
    except ObjectDoesNotExist:
        return f"{entry.instance._meta.verbose_name} #{entry.instance.pk}"


def when(entry) -> str:
    return date_format(timezone.localtime(entry.history_date), "DATETIME_FORMAT")


class HistoryAdminMixin:
    """History list, revert (fields and relations) and deleted records with restore, for a RecordAdmin."""

    object_history_template = "admin/history/object_history.html"
    history_entry_template = "admin/history/entry.html"
    deleted_records_template = "admin/history/deleted.html"
    history_list_per_page = 50

    # URLs -----------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view
        return [
            path("deleted/", view(self.deleted_view), name="%s_%s_deleted" % info),
            path("deleted/<int:history_id>/restore/", view(self.restore_view), name="%s_%s_restore" % info),
            *super().get_urls(),  # simple-history's entry URL leads to history_form_view below
        ]

    def _url(self, view: str, *args) -> str:
        opts = self.model._meta
        return reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args)

    def _context(self, request, **context) -> dict:
        opts = self.model._meta
        return {**self.admin_site.each_context(request), "opts": opts, "app_label": opts.app_label,
                "module_name": capfirst(opts.verbose_name_plural), **context}

    def _entries(self, object_id):
        """The record's primary key and its entries, newest first (the record may be deleted)."""
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404
        return pk, history.entries(self.model(pk=pk)).select_related("history_user")

    # The history list -------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        pk, entries = self._entries(object_id)
        record = self.get_object(request, unquote(object_id))
        latest = entries.first()
        if record is None and latest is None:
            raise Http404
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        paginator = Paginator(entries, self.history_list_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        start = (page.number - 1) * self.history_list_per_page
        # One query: the page's entries and the one before them, which the page's oldest entry is read against.
        window = list(entries[start:start + self.history_list_per_page + 1])
        rows = [
            HistoryRow(entry, action_of(entry, previous), entry_changes(self.model, entry, previous))
            for entry, previous in zip(window, [*window[1:], None])
        ][:self.history_list_per_page]
        name = str(record) if record is not None else record_name(latest)
        context = self._context(
            request, title=_("History: %(record)s") % {"record": name}, record_name=name,
            object_id=pk, exists=record is not None, rows=rows, page_obj=page,
            page_range=paginator.get_elided_page_range(page.number), page_var=PAGE_VAR,
            pagination_required=paginator.num_pages > 1, can_revert=self.has_change_permission(request, record),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, {**context, **(extra_context or {})})

    # One entry, and reverting to it ----------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk, entries = self._entries(object_id)
        if not str(version_id).isdigit():
            raise Http404
        entry = entries.filter(history_id=version_id).first()
        if entry is None:
            raise Http404
        record = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        if request.method == "POST":
            return self._revert(request, record, entry)
        previous = entries.filter(Q(history_date__lt=entry.history_date)
                                  | Q(history_date=entry.history_date, history_id__lt=entry.history_id)).first()
        reverting = snapshots.changes(self.model, snapshots.take(record), entry.snapshot) \
            if record is not None and entry.snapshot and entry.history_type != "-" else []
        name = str(record) if record is not None else record_name(entry)
        context = self._context(
            request, title=_("“%(record)s” as of %(when)s") % {"record": name, "when": when(entry)},
            record=record, record_name=name, object_id=pk, entry=entry, when=when(entry),
            action=action_of(entry, previous), entry_changes=entry_changes(self.model, entry, previous),
            reverting=reverting, can_revert=bool(reverting) and self.has_change_permission(request, record),
            needs_review=record is not None and self._revert_needs_review(request.user, record, entry),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_entry_template, {**context, **(extra_context or {})})

    def _revert_needs_review(self, user, record, entry) -> bool:
        # A non-publisher may not change what the public sees, nor publish by going back to a published version.
        target = (entry.snapshot or {}).get("fields", {}).get("publication_state")
        return review.needs_review(record, user) or (
            target == PublicationState.PUBLISHED and not review.can_publish(user))

    def _revert(self, request, record, entry):
        if record is None:
            self.message_user(request, _("This record has been deleted: restore it from the deleted records."),
                              messages.ERROR)
            return HttpResponseRedirect(self._url("deleted"))
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        here = self._url("simple_history", record.pk, entry.history_id)
        if entry.history_type == "-":
            self.message_user(request, _("This entry records a deletion: revert to the entry before it."),
                              messages.ERROR)
            return HttpResponseRedirect(here)
        if request.POST.get("version") != str(record.version):
            self.message_user(request, _(
                "“%(record)s” was changed after you opened this page, so nothing was reverted. "
                "Check what reverting would change now, then revert again.") % {"record": record}, messages.ERROR)
            return HttpResponseRedirect(here)
        if entry.snapshot and not snapshots.changes(self.model, snapshots.take(record), entry.snapshot):
            self.message_user(request, _("Nothing to revert: “%(record)s” is already as this version.")
                              % {"record": record}, messages.WARNING)
            return HttpResponseRedirect(here)
        reason = request.POST.get("reason", "").strip()
        words = {"record": record, "when": when(entry)}
        try:
            with transaction.atomic():
                proposed = self._revert_needs_review(request.user, record, entry)
                if proposed:
                    asked = _("Revert to the version of %(when)s") % words
                    with review.proposal(record, author=request.user,
                                         reason=f"{asked}: {reason}" if reason else asked) as outcome:
                        review.revert(self.model, entry, user=request.user, reason=reason)
                else:
                    review.revert(self.model, entry, user=request.user, reason=reason)
        except snapshots.RestoreRefused as refused:
            return self._refused(request, here, _("“%(record)s” was not reverted:") % words, refused.messages)
        except (ValidationError, IntegrityError) as error:
            return self._refused(request, here, _("“%(record)s” was not reverted:") % words, _problems(error))
        if not proposed:
            self.message_user(request, _("“%(record)s” was reverted to the version of %(when)s.") % words,
                              messages.SUCCESS)
        elif outcome.change is None:
            self.message_user(request, _("Nothing to revert: “%(record)s” is already as this version.") % words,
                              messages.WARNING)
        else:
            self.message_user(request, _(
                "Your revert of “%(record)s” to the version of %(when)s waits for review by a publisher; "
                "until then the record stays as it is.") % words, messages.WARNING)
        return HttpResponseRedirect(self._url("history", record.pk))

    def _refused(self, request, url, heading, problems):
        self.message_user(request, " ".join([heading, *problems]), messages.ERROR)
        return HttpResponseRedirect(url)

    # Deleted records, and restoring them ----------------------------------------------------------

    def deleted_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        paginator = Paginator(history.deleted_entries(self.model), self.history_list_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        rows = [(entry, record_name(entry)) for entry in page.object_list]
        context = self._context(
            request, title=_("Deleted %(records)s") % {"records": self.model._meta.verbose_name_plural},
            rows=rows, page_obj=page, page_range=paginator.get_elided_page_range(page.number), page_var=PAGE_VAR,
            pagination_required=paginator.num_pages > 1, can_restore=self.has_add_permission(request),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deleted_records_template, context)

    def restore_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        entry = get_history_manager_for_model(self.model).filter(history_id=history_id, history_type="-").first()
        if entry is None:
            raise Http404
        words = {"record": record_name(entry)}
        if self.model._default_manager.filter(pk=entry.instance.pk).exists():
            self.message_user(request, _("“%(record)s” exists already: nothing was restored.") % words,
                              messages.WARNING)
            return HttpResponseRedirect(self._url("deleted"))
        heading = _("“%(record)s” was not restored:") % words
        try:
            with transaction.atomic():
                record = review.revert(self.model, entry, user=request.user,
                                       reason=request.POST.get("reason", "").strip())
        except snapshots.RestoreRefused as refused:
            return self._refused(request, self._url("deleted"), heading, refused.messages)
        except (ValidationError, IntegrityError) as error:
            return self._refused(request, self._url("deleted"), heading, _problems(error))
        words["record"] = record
        if hasattr(record, "publication_state"):
            message = _("“%(record)s” was restored, with its relations, as a draft: publish it when it is ready.")
        else:
            message = _("“%(record)s” was restored, with its relations.")
        self.message_user(request, message % words, messages.SUCCESS)
        return HttpResponseRedirect(self._url("change", record.pk))


def _problems(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [_("the database refused it (%(error)s).") % {"error": error}]
