from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from core.admin import PublishableAdmin, RecordAdmin
from core.admin_import import RegistryImportMixin

from .models import Discipline, Institution, InstitutionAlias, Region, Source


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "publisher", "published_on", "seed_file"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "seed_file"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"


@admin.register(Region)
class RegionAdmin(PublishableAdmin):
    list_display = ["name", "native_name", "kind", "country", "publication_state"]
    list_filter = ["publication_state", "kind", ("country", CountryFilter)]
    search_fields = ["name", "native_name"]
    autocomplete_fields = ["sources"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "native_name", "catalogue", "rank", "is_stem", "parent"]
    list_filter = ["catalogue", "rank", "is_stem"]
    search_fields = ["code", "name", "native_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class InstitutionAliasInline(admin.TabularInline):
    model = InstitutionAlias
    extra = 1
    autocomplete_fields = ["source"]


@admin.register(Institution)
class InstitutionAdmin(RegistryImportMixin, PublishableAdmin):
    import_kind = "institutions"
    list_display = ["name", "native_name", "abbreviation", "kind", "country", "city", "parent", "publication_state"]
    list_filter = ["publication_state", "kind", ("country", CountryFilter), "region"]
    search_fields = ["name", "native_name", "abbreviation", "aliases__name", "ror_id"]
    autocomplete_fields = ["parent", "disciplines", "sources"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InstitutionAliasInline]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "abbreviation", "slug", "kind", "parent"]}),
        (_("Where"), {"fields": ["country", "region", "city"]}),
        (_("Identifiers and links"), {"fields": ["website", "ror_id"]}),
        (_("About"), {"fields": ["disciplines", "description", "sources"]}),
        (_("Publication"), {"fields": ["publication_state"]}),
    ]
