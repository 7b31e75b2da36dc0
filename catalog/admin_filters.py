"""Admin list filters that offer only the values actually present."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries import countries


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
