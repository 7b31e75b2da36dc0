"""The proposed changes' admin: the list (waiting ones first), each change as old → new, and the decisions
(approve, reject, withdraw), each a POST to its own view that the reviewer's role allows."""
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import truncatechars
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _, gettext_lazy

from . import review, snapshots
from .admin_review_conflicts import lines
from .choices import ChangeStatus
from .models import PendingChange

ALL = "all"


class StatusFilter(admin.SimpleListFilter):
    """By status; the changes waiting for review unless asked otherwise."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ChangeStatus.choices, (ALL, _("All"))]

    def choices(self, changelist):
        current = self.value() or ChangeStatus.PENDING
        for value, label in self.lookup_choices:
            yield {"selected": current == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}

    def queryset(self, request, queryset):
        value = self.value() or ChangeStatus.PENDING
        return queryset if value == ALL else queryset.filter(status=value)


class KindFilter(admin.SimpleListFilter):
    """By kind of record, listing the kinds that have proposed changes."""

    title = gettext_lazy("kind of record")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        used = PendingChange.objects.values_list("content_type", flat=True).distinct()
        kinds = ContentType.objects.filter(pk__in=used)
        return sorted(((str(kind.pk), str(kind.model_class()._meta.verbose_name_plural).capitalize())
                       for kind in kinds if kind.model_class() is not None), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(content_type_id=self.value())
        return queryset


def record_admin_url(change: PendingChange) -> str:
    opts = change.record_model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[change.object_id])
    except NoReverseMatch:
        return ""


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Read-only: a proposed change is made by saving a record's form, and closed by the buttons of its page."""

    list_display = ["object_repr", "kind", "status", "author", "created_at", "short_reason"]
    list_filter = [StatusFilter, KindFilter]
    list_select_related = ["author", "content_type"]
    search_fields = ["object_repr", "reason", "author__username"]
    fields = readonly_fields = ["object_repr", "status", "author", "created_at", "reason"]
    change_form_template = "admin/core/pendingchange/change_form.html"

    @admin.display(description=gettext_lazy("kind of record"), ordering="content_type")
    def kind(self, change):
        model = change.record_model
        return model._meta.verbose_name if model is not None else ""

    @admin.display(description=gettext_lazy("reason for the change"))
    def short_reason(self, change):
        return truncatechars(change.reason, 80)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The page -------------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = self.get_object(request, unquote(object_id))
        context = self._page_context(request, change) if change is not None else {}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def _page_context(self, request, change: PendingChange) -> dict:
        record = change.current_record()
        pending = change.status == ChangeStatus.PENDING
        info = self.opts.app_label, self.opts.model_name
        return {
            "proposed_change": change,
            "record": record,
            "record_kind": self.kind(change),
            "record_url": record_admin_url(change) if record is not None else "",
            "differences": [{"label": item.label, "old": lines(item.old), "new": lines(item.new)}
                            for item in review.differences(change)],
            "is_pending": pending,
            "stale": pending and record is not None and record.version != change.base_version,
            "can_decide": pending and review.can_publish(request.user),
            "can_withdraw": pending and change.author_id == request.user.pk,
            "approve_url": reverse(f"admin:{info[0]}_{info[1]}_approve", args=[change.pk]),
            "reject_url": reverse(f"admin:{info[0]}_{info[1]}_reject", args=[change.pk]),
            "withdraw_url": reverse(f"admin:{info[0]}_{info[1]}_withdraw", args=[change.pk]),
        }

    # The decisions --------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/approve/", view(self.approve_view), name="%s_%s_approve" % info),
            path("<path:object_id>/reject/", view(self.reject_view), name="%s_%s_reject" % info),
            path("<path:object_id>/withdraw/", view(self.withdraw_view), name="%s_%s_withdraw" % info),
            *super().get_urls(),
        ]

    def approve_view(self, request, object_id):
        def approve(change):
            review.approve(change, reviewer=request.user, note=request.POST.get("note", "").strip())
            return _("Approved: the change to “%(record)s” is applied and recorded in its history.")
        return self._decide(request, object_id, approve, publishers_only=True)

    def reject_view(self, request, object_id):
        def reject(change):
            review.reject(change, reviewer=request.user, note=request.POST.get("note", ""))
            return _("Rejected: the change to “%(record)s” will not be applied.")
        return self._decide(request, object_id, reject, publishers_only=True)

    def withdraw_view(self, request, object_id):
        def withdraw(change):
            review.withdraw(change, user=request.user)
            return _("Withdrawn: your change to “%(record)s” will not be reviewed.")
        return self._decide(request, object_id, withdraw, publishers_only=False)

    def _decide(self, request, object_id, decide, *, publishers_only: bool):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        change = self.get_object(request, unquote(object_id))
        if change is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if publishers_only and not review.can_publish(request.user):
            raise PermissionDenied
        try:
            done = decide(change)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except snapshots.RestoreRefused as error:
            self.message_user(request, _("The change cannot be applied: %(problems)s") % {
                "problems": "; ".join(error.messages)}, messages.ERROR)
        except IntegrityError:
            self.message_user(request, _("The change cannot be applied: it clashes with another record. "
                                         "Reject it and ask for it to be made again."), messages.ERROR)
        else:
            self.message_user(request, done % {"record": change.object_repr}, messages.SUCCESS)
        return HttpResponseRedirect(change.get_absolute_url())
