from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import PublishableAdmin, related_country_filter
from core.admin_import import RegistryImportMixin
from core.fileformat.columns import format_date
from core.forms import PreciseDateField

from .forms import AgreementForm, ApprovalLinksFormSet, JointInstituteForm, ProgramForm

from .models import (
    Activity,
    ActivityHost,
    Agreement,
    AgreementParty,
    Figure,
    InstituteMember,
    JointInstitute,
    Program,
    ProgramPartner,
)

APPROVAL_FIELDSET = (
    _("Approval"),
    {"fields": ["approving_authority", "approval_number", "approval_date", ("valid_from", "valid_until"),
                "approval_status"]},
)


class StatedDatesAdminMixin:
    """Where a precise date is only shown (a viewer's page, the list), it reads as its source states it,
    "2025-05", not as a made-up day: ``<field>_as_stated`` stands in for each PreciseDateField of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stated_dates = {name: f"{name}_as_stated" for name, field in self.form.base_fields.items()
                             if isinstance(field, PreciseDateField)}
        for name, shown in self.stated_dates.items():
            setattr(self, shown, self._stated_date(name))

    def _stated_date(self, name: str):
        @admin.display(description=self.model._meta.get_field(name).verbose_name, ordering=name)
        def stated(record):
            value = getattr(record, name)
            return format_date(value, getattr(record, f"{name}_precision")) if value else self.get_empty_value_display()
        return stated

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [(title, {**options, "fields": [self._shown(entry) for entry in options["fields"]]})
                for title, options in fieldsets]

    def _shown(self, entry):
        if isinstance(entry, (list, tuple)):
            return tuple(self.stated_dates.get(name, name) for name in entry)
        return self.stated_dates.get(entry, entry)


class InstituteMemberInline(admin.TabularInline):
    model = InstituteMember
    formset = ApprovalLinksFormSet
    extra = 1
    autocomplete_fields = ["institution"]


class ProgramInline(admin.TabularInline):
    model = Program
    fk_name = "joint_institute"
    extra = 0
    fields = ["name", "level", "host", "degree_model", "annual_intake", "publication_state"]
    readonly_fields = fields
    show_change_link = True
    # Programs are records of their own, with their own review and history: listed here, edited on their page.
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["metric", "qualifier", "value", "unit", "period_start", "period_end", "source", "note", "publication_state"]
    autocomplete_fields = ["source"]


class JointInstituteFigureInline(FigureInline):
    fk_name = "joint_institute"


class ProgramFigureInline(FigureInline):
    fk_name = "program"


@admin.register(JointInstitute)
class JointInstituteAdmin(StatedDatesAdminMixin, RegistryImportMixin, PublishableAdmin):
    import_kind = "joint_institutes"
    form = JointInstituteForm
    list_display = ["name", "city", "approval_status", "approval_date_as_stated", "degree_model", "publication_state"]
    list_filter = ["publication_state", "approval_status", "degree_model", related_country_filter("members_links__institution__country"), "city"]
    search_fields = ["name", "native_name", "abbreviation", "approval_number", "members__name", "members__abbreviation",
                     "members__native_name", "members__aliases__name"]
    autocomplete_fields = ["sources"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InstituteMemberInline, ProgramInline, JointInstituteFigureInline]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "abbreviation", "slug", "city", "website"]}),
        (_("Launch"), {"fields": ["launched_on", "launch_note"]}),
        APPROVAL_FIELDSET,
        (_("Teaching"), {"fields": ["degree_model", "dean", ("enrollment_target", "enrollment_target_note"), "description"]}),
        (_("Sources and publication"), {"fields": ["sources", "publication_state"]}),
    ]


class ProgramPartnerInline(admin.TabularInline):
    model = ProgramPartner
    formset = ApprovalLinksFormSet
    extra = 1
    autocomplete_fields = ["institution"]


@admin.register(Program)
class ProgramAdmin(StatedDatesAdminMixin, RegistryImportMixin, PublishableAdmin):
    import_kind = "programs"
    form = ProgramForm
    list_display = ["name", "level", "host", "joint_institute", "city", "approval_status", "publication_state"]
    list_filter = ["publication_state", "level", "approval_status", "degree_model",
                   related_country_filter("partners__country"), "disciplines__catalogue", "city"]
    search_fields = ["name", "native_name", "approval_number", "host__name", "host__abbreviation", "host__native_name",
                     "partners__name", "partners__abbreviation", "partners__aliases__name", "disciplines__code"]
    autocomplete_fields = ["host", "joint_institute", "disciplines", "sources"]
    list_select_related = ["host", "joint_institute"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgramPartnerInline, ProgramFigureInline]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "slug", "level", "disciplines"]}),
        (_("Who runs it"), {"fields": ["host", "joint_institute", "city"]}),
        (_("Teaching"), {"fields": ["degree_model", "duration_years", "annual_intake", "tuition_cny_per_year",
                                    "language", ("enrollment_start_year", "enrollment_end_year"), "description"]}),
        APPROVAL_FIELDSET,
        (_("Sources and publication"), {"fields": ["sources", "publication_state"]}),
    ]


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 2
    autocomplete_fields = ["institution"]


@admin.register(Agreement)
class AgreementAdmin(StatedDatesAdminMixin, RegistryImportMixin, PublishableAdmin):
    import_kind = "agreements"
    form = AgreementForm
    list_display = ["title", "kind", "status", "signed_on_as_stated", "publication_state"]
    list_filter = ["publication_state", "kind", "status", related_country_filter("parties__country", _("party country"))]
    search_fields = ["title", "scope", "parties__name", "parties__abbreviation", "parties__native_name"]
    autocomplete_fields = ["sources"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgreementPartyInline]


class ActivityHostInline(admin.TabularInline):
    model = ActivityHost
    extra = 1
    autocomplete_fields = ["institution"]


@admin.register(Activity)
class ActivityAdmin(RegistryImportMixin, PublishableAdmin):
    import_kind = "activities"
    list_display = ["title", "kind", "organizer", "start_date", "end_date", "publication_state"]
    list_filter = ["publication_state", "kind", related_country_filter("hosts__country", _("host country"))]
    search_fields = ["title", "leader", "organizer__name", "hosts__name"]
    autocomplete_fields = ["organizer", "agreements", "sources"]
    list_select_related = ["organizer"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ActivityHostInline]


@admin.register(Figure)
class FigureAdmin(RegistryImportMixin, PublishableAdmin):
    import_kind = "figures"
    list_display = ["__str__", "metric", "qualifier", "value", "unit", "period_start", "period_end", "source",
                    "publication_state"]
    list_filter = ["publication_state", "metric", "unit", "qualifier", "source"]
    search_fields = ["institution__name", "joint_institute__name", "program__name", "region__name", "note"]
    autocomplete_fields = ["institution", "joint_institute", "program", "region", "source"]
    list_select_related = ["institution", "joint_institute", "program", "region", "source"]
