"""Bulk actions staff use on many records at once."""
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _, ngettext

from .choices import PublicationState


def describe_blockers(record, state, blockers) -> str:
    names = "; ".join(str(blocker) for blocker in blockers[:5])
    if state == PublicationState.PUBLISHED:
        return _("“%(record)s” stays a draft: publish what it names first (%(names)s).") % {
            "record": record, "names": names}
    return _("“%(record)s” stays published: published records name it (%(names)s).") % {
        "record": record, "names": names}


def _set_state(modeladmin, request, queryset, state):
    changed, refused = 0, []
    with transaction.atomic():
        # Save one by one so each change is checked and lands in the history.
        for record in queryset.exclude(publication_state=state):
            blockers = record.publication_blockers(state)
            if blockers:
                refused.append(describe_blockers(record, state, blockers))
                continue
            record.publication_state = state
            record.save(update_fields=["publication_state", "updated_at"])
            changed += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d record changed.", "%(count)d records changed.", changed) % {"count": changed},
        messages.SUCCESS if changed or not refused else messages.WARNING,
    )
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.action(description=_("Publish selected records"), permissions=["change"])
def publish(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.PUBLISHED)


@admin.action(description=_("Return selected records to draft"), permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.DRAFT)


class PublishableAdminMixin:
    actions = [publish, unpublish]

    def save_related(self, request, form, formsets, change):
        # Inlines (partners, members, hosts) are saved by now, so the whole record can be checked.
        super().save_related(request, form, formsets, change)
        record = form.instance
        if not record.is_published and "publication_state" not in form.changed_data:
            return
        blockers = record.publication_blockers(record.publication_state)
        if blockers:
            message = describe_blockers(record, record.publication_state, blockers)
            record.publication_state = PublicationState.DRAFT if record.is_published else PublicationState.PUBLISHED
            record.save(update_fields=["publication_state", "updated_at"])
            self.message_user(request, message, messages.WARNING)
