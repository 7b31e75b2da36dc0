"""Bulk actions staff use on many records at once."""
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _, ngettext

from .choices import PublicationState


def _set_state(modeladmin, request, queryset, state):
    with transaction.atomic():
        # Save one by one so each change is validated and lands in the history.
        changed = 0
        for record in queryset.exclude(publication_state=state):
            record.publication_state = state
            record.save(update_fields=["publication_state", "updated_at"])
            changed += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d record changed.", "%(count)d records changed.", changed) % {"count": changed},
        messages.SUCCESS,
    )


@admin.action(description=_("Publish selected records"), permissions=["change"])
def publish(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.PUBLISHED)


@admin.action(description=_("Return selected records to draft"), permissions=["change"])
def unpublish(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.DRAFT)


class PublishableAdminMixin:
    actions = [publish, unpublish]
