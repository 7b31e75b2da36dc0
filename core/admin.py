"""Admin machinery every domain app's ModelAdmins share: the publish and unpublish actions (publishers only;
they keep the rules that a published record names only published records and cites a source) and list
filters that offer only the values actually present."""
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _, ngettext
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from . import history
from .admin_history import HistoryAdminMixin
from .admin_review import ReviewAdminMixin
from .admin_corrections import CorrectionReportAdmin  # noqa: F401 (registers the correction reports' admin)
from .admin_review_changes import PendingChangeAdmin  # noqa: F401 (registers the proposed changes' admin)
from .admin_review_forms import cites_a_source
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
            if state == PublicationState.PUBLISHED and not cites_a_source(record):
                refused.append(_("“%(record)s” stays a draft: it cites no source yet; add one first.") % {
                    "record": record})
                continue
            with history.recorded_change(record, user=request.user):
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


@admin.action(description=_("Publish selected records"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.PUBLISHED)


@admin.action(description=_("Return selected records to draft"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    _set_state(modeladmin, request, queryset, PublicationState.DRAFT)


class PublishableAdminMixin:
    """Publish and unpublish actions (``has_publish_permission`` comes from ReviewAdminMixin)."""

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



def related_country_filter(field_path: str, title=_("partner country")):
    """A list filter on the country behind ``field_path``, listing only countries in use."""

    class RelatedCountryFilter(admin.SimpleListFilter):
        parameter_name = field_path.replace("__", "_")

        def lookups(self, request, model_admin):
            codes = (
                model_admin.model._default_manager.order_by()
                .values_list(field_path, flat=True)
                .distinct()
            )
            return sorted(((code, countries.name(code)) for code in codes if code), key=lambda item: item[1])

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field_path: self.value()}).distinct()
            return queryset

    RelatedCountryFilter.title = title
    return RelatedCountryFilter


class RecordAdmin(ReviewAdminMixin, HistoryAdminMixin, SimpleHistoryAdmin):
    """The admin of every editable record: versioned saves, review, history with relations."""


class PublishableAdmin(PublishableAdminMixin, RecordAdmin):
    """The admin of every publishable record."""
