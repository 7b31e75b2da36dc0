"""Reference records: institutions, regions, disciplines and the sources that cite them."""
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.choices import PublicationState
from core.models import Publishable, RecordHistory, Versioned
from core.names import is_chinese
from core.querysets import PublishableQuerySet, iexact_any, normalise_country_codes, pair_counts, pair_values
from core.search import search

from .choices import DisciplineCatalogue, DisciplineRank, InstitutionKind, NameKind, RegionKind
from .extensions import institution_discipline_links


class SourceQuerySet(models.QuerySet):
    def titled(self, title: str, url: str = ""):
        """Sources called ``title`` (ignoring case and spacing), at ``url`` when one is given."""
        sources = self.filter(title__iexact=" ".join(title.split()))
        return sources.filter(url=url) if url else sources

    @staticmethod
    def _public_citers(model):
        """The records of ``model`` the public sees, or None when ``model`` is not a public record.

        Read off the model so that catalog need not import partnerships: a model's own ``public()``
        wins (figures about a published subject), then ``published()``; a record without a state of
        its own (an institution's other name) counts when the record it belongs to is published.
        """
        manager = model._default_manager
        if hasattr(manager, "public"):
            return manager.public()
        if issubclass(model, Publishable):
            return manager.published()
        owners = [
            field.name for field in model._meta.concrete_fields
            if field.many_to_one and not field.null and issubclass(field.related_model, Publishable)
        ]
        if owners:
            return manager.filter(**{f"{name}__publication_state": PublicationState.PUBLISHED for name in owners})
        return None

    def public(self):
        """Sources that at least one public record cites (issue 9): a source cited only by drafts
        would show the public what the drafts are about."""
        cited = Q(pk__in=[])
        for relation in Source._meta.related_objects:
            citers = self._public_citers(relation.related_model)
            if citers is not None:
                cited |= Q(Exists(citers.filter(**{relation.field.name: OuterRef("pk")})))
        return self.filter(cited)


class Source(Versioned):
    """A published text that the registry's facts cite."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    seed_file = models.CharField(
        _("seed file"),
        max_length=100,
        blank=True,
        help_text=_("File name in shared/seeds/ this source was read from, if any."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = SourceQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["seed_file"],
                condition=~Q(seed_file=""),
                name="source_unique_seed_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:source_detail", kwargs={"slug": self.slug})


class Region(Publishable):
    """A province-level region, the subject of region-wide figures (e.g. Chongqing)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    native_name = models.CharField(_("native name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    country = CountryField(_("country"))
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True)

    objects = PublishableQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="region_unique_name_per_country"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:region_detail", kwargs={"slug": self.slug})


class DisciplineQuerySet(models.QuerySet):
    def matching(self, catalogue: str, code: str):
        """The discipline ``catalogue:code`` and everything below it.

        The catalogues' codes are hierarchical by prefix (08 > 0812 > 081201,
        06 > 061 > 0611), so descendants share the code's prefix.
        """
        return self.filter(catalogue=catalogue, code__istartswith=code)

    def matching_name(self, key: str):
        """The discipline ``key`` names exactly, e.g. ``cn-grad:0812`` (any case, as files and URLs write it)."""
        catalogue, _, code = "".join(key.split()).partition(":")
        return self.filter(catalogue=catalogue.lower(), code__iexact=code)

    def matching_any(self, keys: list[tuple[str, str]]):
        query = Q(pk__in=[])
        for catalogue, code in keys:
            query |= Q(catalogue=catalogue, code__istartswith=code)
        return self.filter(query)

    def with_keys(self, keys: list[tuple[str, str]]):
        """Exactly the disciplines ``keys`` (no descendants)."""
        query = Q(pk__in=[])
        for catalogue, code in keys:
            query |= Q(catalogue=catalogue, code__iexact=code)
        return self.filter(query)

    def used_by_programs(self, programs):
        # A subquery, not a join made DISTINCT: no row of the program links is carried to the end.
        links = self.model.programs.through.objects.filter(program__in=programs.values("pk"))
        return self.filter(pk__in=links.values("discipline_id"))


class Discipline(models.Model):
    """A field of study, always read together with the catalogue it belongs to."""

    catalogue = models.CharField(_("catalogue"), max_length=10, choices=DisciplineCatalogue.choices)
    code = models.CharField(
        _("code"),
        max_length=12,
        validators=[RegexValidator(r"^[0-9]{2,8}[A-Z]{0,2}$", _("Use the catalogue's code, e.g. 0812 or 080904K."))],
    )
    name = models.CharField(_("name"), max_length=200)
    native_name = models.CharField(_("Chinese name"), max_length=200, blank=True)
    rank = models.CharField(_("rank"), max_length=20, choices=DisciplineRank.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_stem = models.BooleanField(
        _("science, technology, engineering, agriculture or medicine"),
        default=False,
        # xgettext:no-python-format  ("68.3% f" is not a placeholder)
        help_text=_("The grouping behind Chongqing's 68.3% figure."),
    )

    objects = DisciplineQuerySet.as_manager()

    class Meta:
        ordering = ["catalogue", "code"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="discipline_unique_code_per_catalogue"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="discipline_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"

    @property
    def key(self) -> str:
        """The public identifier, e.g. ``cn-grad:0812``."""
        return f"{self.catalogue}:{self.code}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:discipline_detail", kwargs={"catalogue": self.catalogue, "code": self.code})


class InstitutionQuerySet(PublishableQuerySet):
    def search(self, text: str):
        """Institutions any of whose names hold every word of ``text`` (``core.search``), most relevant first."""
        return search(self, text)

    def matching_name(self, text: str):
        """Institutions called ``text`` by name, native name, abbreviation or alias.

        Case- and whitespace-insensitive (on SQLite, case folding covers ASCII letters only).
        """
        name = " ".join(text.split())
        if not name:
            return self.none()
        aliases = InstitutionAlias.objects.filter(name__iexact=name).values("institution_id")
        return self.filter(
            Q(name__iexact=name) | Q(native_name__iexact=name) | Q(abbreviation__iexact=name) | Q(pk__in=aliases)
        )

    def in_countries(self, codes):
        return self.filter(country__in=normalise_country_codes(codes))

    def in_cities(self, cities):
        return self.filter(iexact_any("city", cities))

    def in_disciplines(self, keys):
        """Institutions teaching any of the disciplines ``keys``, or tied to them by other apps' published
        records (``catalog.extensions.institution_discipline_links``: hosting or partnering a program in them)."""
        disciplines = Discipline.objects.matching_any(keys)
        taught = Institution.disciplines.through.objects.filter(discipline__in=disciplines).values("institution_id")
        # Uncorrelated subqueries: evaluated once, not once per institution.
        query = Q(pk__in=taught)
        for link in institution_discipline_links:
            query |= Q(pk__in=link.institutions_in(disciplines))
        return self.filter(query)

    def with_related(self):
        return self.select_related("parent").prefetch_related("aliases__source", "disciplines", "sources")

    def chinese_names(self) -> dict[int, str]:
        """``{pk: Chinese name}`` for these institutions that have one: the native name when it is written in
        Chinese characters (重庆邮电大学), else the first current alias that is (远东联邦大学 for FEFU)."""
        names = {pk: native for pk, native in self.values_list("pk", "native_name") if is_chinese(native)}
        aliases = InstitutionAlias.objects.filter(institution__in=self.exclude(pk__in=list(names))).exclude(
            kind=NameKind.FORMER).order_by("institution_id", "name")
        for pk, alias in aliases.values_list("institution_id", "name"):
            if is_chinese(alias):
                names.setdefault(pk, alias)
        return names

    def for_listing(self):
        """The columns institution_results.html shows."""
        return self.select_related("parent").only(
            "slug", "name", "abbreviation", "native_name", "kind", "country", "city", "publication_state",
            "parent__slug", "parent__name", "parent__native_name", "parent__publication_state",
        )

    def with_names(self):
        """Aliases, for the Chinese name of a foreign institution (远东联邦大学) on the pages."""
        return self.prefetch_related("aliases")

    def discipline_counts(self, limit: int) -> list[dict]:
        """Facet counts: the disciplines these institutions teach, or are tied to by other apps' published
        records (``catalog.extensions.institution_discipline_links``), most used first.

        One query counts the distinct (institution, discipline) pairs of a UNION, so an institution that
        both teaches and hosts a discipline counts once; a second query names the top ``limit``.
        """
        ids = self.values("pk")
        taught = pair_values(
            Institution.disciplines.through.objects.filter(institution__in=ids), "institution_id", "discipline_id"
        )
        linked = [link.pairs_of(ids) for link in institution_discipline_links]
        counts = pair_counts(taught.union(*linked))
        names = {d.pk: d for d in Discipline.objects.filter(pk__in=list(counts))}
        ranked = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]].catalogue, names[item[0]].code))
        return [
            {"key": names[pk].key, "name": names[pk].name, "native_name": names[pk].native_name, "count": count}
            for pk, count in ranked[:limit]
        ]


class Institution(Publishable):
    """A university, school, research institute or college, Chinese or foreign."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("English name"), max_length=255)
    native_name = models.CharField(
        _("native name"), max_length=255, blank=True, help_text=_("The name in the institution's own language, e.g. 重庆邮电大学.")
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstitutionKind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("province or region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    ror_id = models.CharField(
        _("ROR id"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$", _("A ROR id looks like 05t99sp05 (nine characters)."))],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("The university a school or institute belongs to."),
    )
    disciplines = models.ManyToManyField(
        Discipline, verbose_name=_("disciplines taught"), blank=True, related_name="institutions"
    )
    description = models.TextField(_("description"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="institutions")

    snapshot_parts = ("aliases",)

    objects = InstitutionQuerySet.as_manager()
    history = RecordHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(fields=["ror_id"], condition=~Q(ror_id=""), name="institution_unique_ror_id"),
            models.UniqueConstraint(fields=["country", "name"], name="institution_unique_name_per_country"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="institution_not_own_parent"),
        ]
        # The listing's order, alone and within a country (the country filter and facet).
        indexes = [
            models.Index(fields=["publication_state", "name", "id"], name="institution_listing_by_name"),
            models.Index(fields=["publication_state", "country", "name"], name="institution_listing_by_country"),
            models.Index(fields=["publication_state", "city", "name"], name="institution_listing_by_city"),
            models.Index(Upper("city"), name="institution_city_any_case"),  # the city filter ignores case
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:institution_detail", kwargs={"slug": self.slug})

    # Both read the aliases that with_related() prefetched.

    @property
    def former_names(self) -> list["InstitutionAlias"]:
        return [alias for alias in self.aliases.all() if alias.kind == NameKind.FORMER]

    @property
    def other_names(self) -> list["InstitutionAlias"]:
        return [alias for alias in self.aliases.all() if alias.kind != NameKind.FORMER]


class InstitutionAlias(models.Model):
    """Another name for an institution: a former name, a translation, or a source's wording."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=255)
    kind = models.CharField(_("kind of name"), max_length=10, choices=NameKind.choices, default=NameKind.ALIAS)
    used_until = models.PositiveSmallIntegerField(
        _("used until"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)],
        help_text=_("For a former name: the year the institution stopped using it, when known."),
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source using this name"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aliases",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="alias_unique_per_institution"),
            models.CheckConstraint(
                condition=Q(used_until__isnull=True) | Q(kind=NameKind.FORMER),
                name="alias_used_until_only_for_former_names",
                violation_error_message=_("Only a former name has a year until which it was used."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.institution.get_absolute_url()
