"""Correction reports in the admin: a list to work through (open ones first), and "mark resolved"."""
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _, ngettext

from .choices import CorrectionStatus
from .models import CorrectionReport


@admin.register(CorrectionReport)
class CorrectionReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "record_link", "short_message", "status", "name", "email", "resolved_by"]
    list_filter = ["status", "content_type", "created_at"]
    search_fields = ["message", "object_repr", "page_url", "name", "email", "staff_note"]
    list_select_related = ["resolved_by", "content_type"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved"]
    readonly_fields = ["record_link", "content_type", "object_id", "message", "name", "email", "created_at",
                       "resolved_by", "resolved_at"]
    fields = ["record_link", "message", "name", "email", "created_at", "status", "staff_note",
              "resolved_by", "resolved_at"]

    @admin.display(description=_("record"), ordering="object_repr")
    def record_link(self, report):
        return format_html('<a href="{}">{}</a>', report.page_url, report.object_repr)

    @admin.display(description=_("what is wrong"))
    def short_message(self, report):
        return Truncator(report.message).chars(120)

    def has_add_permission(self, request):
        return False  # reports come from the public pages

    @admin.action(description=_("Mark the selected reports resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        count = queryset.filter(status=CorrectionStatus.OPEN).update(
            status=CorrectionStatus.RESOLVED, resolved_by=request.user, resolved_at=timezone.now())
        self.message_user(request, ngettext("%(count)d report marked resolved.", "%(count)d reports marked resolved.",
                                            count) % {"count": count}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        # Who resolved a report and when follow its status, so staff only choose the status.
        if obj.status == CorrectionStatus.RESOLVED and obj.resolved_at is None:
            obj.resolved_by, obj.resolved_at = request.user, timezone.now()
        elif obj.status == CorrectionStatus.OPEN:
            obj.resolved_by, obj.resolved_at = None, None
        super().save_model(request, obj, form, change)
