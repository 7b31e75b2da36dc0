"""Read-only API over published records, filtered by the same FilterSets as the listing pages."""
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from catalog.filters import InstitutionFilter
from catalog.models import Institution
from partnerships.filters import AgreementFilter, FigureFilter, JointInstituteFilter, ProgramFilter
from partnerships.models import Agreement, Figure, JointInstitute, Program

from . import serializers

DETAIL_MESSAGE = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FILTER_ERRORS = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description=_("A query parameter has a value the registry does not know; the messages say which and why, "
                  "keyed by parameter."),
)
THROTTLED = OpenApiResponse(DETAIL_MESSAGE, description=_("Too many requests; the Retry-After header says when to retry."))


def documented(plural: str, singular: str, list_serializer, detail_serializer, example_slug: str | None = None):
    """The OpenAPI description of a read-only endpoint, including its error responses.

    ``example_slug`` names a record of the seed facts: the docs' "Try it out" and the schemathesis
    tests then reach a real record, not only 404s.
    """
    slug_parameters = [
        OpenApiParameter(
            "slug", OpenApiTypes.STR, OpenApiParameter.PATH,
            examples=[OpenApiExample(_("A record of the seed facts"), value=example_slug)],
        )
    ] if example_slug else []
    return extend_schema_view(
        list=extend_schema(
            summary=format_lazy(_("List published {records}"), records=plural),
            responses={
                200: list_serializer,
                400: FILTER_ERRORS,
                404: OpenApiResponse(DETAIL_MESSAGE, description=_("The page number is out of range.")),
                429: THROTTLED,
            },
        ),
        retrieve=extend_schema(
            summary=format_lazy(_("One published {record}"), record=singular),
            parameters=slug_parameters,
            responses={
                200: detail_serializer,
                404: OpenApiResponse(DETAIL_MESSAGE, description=_("No published record here.")),
                429: THROTTLED,
            },
        ),
    )


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not found."}, status=404)


def published_figures():
    return Prefetch(
        "figures",
        queryset=Figure.objects.public().select_related("source"),
        to_attr="published_figures",
    )


class RegistryPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    # Subclasses' docstrings are the endpoints' descriptions in the API docs.

    lookup_field = "slug"
    pagination_class = RegistryPagination
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def filter_queryset(self, queryset):
        # Filters describe a listing; a record's detail ignores them, as its page does.
        if self.action != "list":
            return queryset
        queryset = super().filter_queryset(queryset)
        # A unique last key keeps pages stable when the chosen sort has ties (e.g. many programs per city).
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        return queryset.order_by(*ordering, "pk")


@documented(
    _("programs"), _("program"), serializers.ProgramSerializer, serializers.ProgramDetailSerializer,
    example_slug="cqupt-fefu-internet-of-things-engineering-bachelor",
)
class ProgramViewSet(RegistryViewSet):
    """China–foreign cooperative degree programs with their Chinese host, foreign partners and disciplines.

    The list takes the query parameters of the /programs/ page; a detail adds the program's figures.
    """

    serializer_class = serializers.ProgramSerializer
    detail_serializer_class = serializers.ProgramDetailSerializer
    filterset_class = ProgramFilter

    def get_queryset(self):
        queryset = Program.objects.published().with_related().with_effective_approval()
        return queryset.prefetch_related(published_figures()) if self.action == "retrieve" else queryset


@documented(
    _("joint institutes"), _("joint institute"),
    serializers.JointInstituteSerializer, serializers.JointInstituteDetailSerializer,
    example_slug="cqupt-fefu-joint-institute",
)
class JointInstituteViewSet(RegistryViewSet):
    """China–foreign joint institutes (cooperative institutions) with their host and partner institutions.

    The list takes the query parameters of the /institutes/ page; a detail adds the institute's programs and
    figures.
    """

    serializer_class = serializers.JointInstituteSerializer
    detail_serializer_class = serializers.JointInstituteDetailSerializer
    filterset_class = JointInstituteFilter

    def get_queryset(self):
        queryset = JointInstitute.objects.published().with_related()
        return queryset.prefetch_related(published_figures()) if self.action == "retrieve" else queryset


@documented(
    _("institutions"), _("institution"), serializers.InstitutionSerializer, serializers.InstitutionDetailSerializer,
    example_slug="ucas-chongqing-school",
)
class InstitutionViewSet(RegistryViewSet):
    """Universities, schools, research institutes and colleges, Chinese and foreign.

    The list takes the query parameters of the /institutions/ page (``country`` is the institution's own); a
    detail adds the institution's figures.
    """

    serializer_class = serializers.InstitutionSerializer
    detail_serializer_class = serializers.InstitutionDetailSerializer
    filterset_class = InstitutionFilter

    def get_queryset(self):
        queryset = Institution.objects.published().with_related()
        return queryset.prefetch_related(published_figures()) if self.action == "retrieve" else queryset


@documented(
    _("agreements"), _("agreement"), serializers.AgreementSerializer, serializers.AgreementDetailSerializer,
    example_slug="csu-kyushu-mou-2019",
)
class AgreementViewSet(RegistryViewSet):
    """Memoranda of understanding and other agreements between institutions.

    The list takes the query parameters of the /agreements/ page; a detail adds the activities that led to it.
    """

    serializer_class = serializers.AgreementSerializer
    detail_serializer_class = serializers.AgreementDetailSerializer
    filterset_class = AgreementFilter
    queryset = Agreement.objects.published().with_related()


@documented(_("figures"), _("figure"), serializers.FigureSerializer, serializers.FigureSerializer)
class FigureViewSet(RegistryViewSet):
    """Figures (enrollment targets, admissions, degrees awarded, shares...) each as its source states it.

    A figure is about exactly one institution, joint institute, program or region. Figures have no slug: a
    detail is by id.
    """

    lookup_field = "pk"
    lookup_value_regex = r"[0-9]+"
    serializer_class = serializers.FigureSerializer
    filterset_class = FigureFilter

    def get_queryset(self):
        # A published figure about a draft would reveal the draft, so its subject must be published too.
        return Figure.objects.public().with_related()
