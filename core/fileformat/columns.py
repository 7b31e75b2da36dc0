"""The columns of the registry's file format: how a cell is read into a record and written back out.

A kind of record (see ``kinds.Kind``) is a list of these. Each column knows the header(s) it owns,
the model fields it fills, how to read its cells on import, how to write them on export, and, when
it is part of the kind's natural key, how to compare and look up records by it. Relation columns
(``Reference``, ``References``, ``Sources``, ``Subject``) take their target models from the model's
own fields, so this module knows nothing of any domain app.
"""
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cached_property
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from ..choices import DatePrecision
from .cells import LIST_SEPARATOR, Cells, name_key, web_address_problem


def join(values) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values)


def format_date(value, precision: str = DatePrecision.DAY) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def text(value) -> str:
    return "" if value is None else str(value)


def grouped(rows) -> dict[int, list]:
    """``{owner pk: [value, ...]}`` from (owner pk, *values) rows, in their order (a tuple if several values)."""
    found = defaultdict(list)
    for owner_pk, *values in rows:
        found[owner_pk].append(values[0] if len(values) == 1 else tuple(values))
    return found


class Column:
    """One column (or a pair of columns) of a kind's file."""

    is_link = False  # a list of related records, kept in link rows rather than on the record itself
    list_cell = False  # the cell holds a |-separated list (a JSON array in JSON files)

    def __init__(self, name: str, *, field: str | None = None, required: bool = False):
        self.name = name
        self.field = field or name
        self.required = required
        self.model: type[Model] | None = None

    def bind(self, model: type[Model]) -> None:
        self.model = model

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name,)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return self.headers[:1] if self.required else ()

    @property
    def list_headers(self) -> tuple[str, ...]:
        return self.headers if self.list_cell else ()

    @property
    def fields(self) -> tuple[str, ...]:
        """The model fields this column fills: their validation errors are reported on this column."""
        return (self.field,)

    @property
    def resolved_fields(self) -> tuple[str, ...]:
        """Foreign keys this column fills with records it found: full_clean need not query them again."""
        return ()

    # Import ----------------------------------------------------------------------------------

    def read(self, cells: Cells, lookups, parsed) -> None:
        parsed.values[self.field] = self.parse(cells)

    def parse(self, cells: Cells):
        return cells.text(self.name)

    # Export ----------------------------------------------------------------------------------

    def value_fields(self) -> list[str]:
        """What ``QuerySet.values()`` must give for ``write``."""
        return [self.field]

    def related(self, pks: list[int]) -> dict[int, list] | None:
        """For link columns: ``{pk: [item, ...]}`` for a chunk of records."""
        return None

    def write(self, values: dict, related: list) -> dict[str, str]:
        return {self.name: self.format(values[self.field])}

    def format(self, value) -> str:
        return text(value)

    # Natural key -----------------------------------------------------------------------------

    def key_part(self, values: dict):
        value = values.get(self.field)
        return name_key(value) if isinstance(value, str) else value

    def record_key_part(self, record: Model):
        value = getattr(record, self.field)
        return name_key(value) if isinstance(value, str) else value

    def batch_lookup(self, rows: list[dict]) -> Q:
        """A query for every record that the rows may name by this column (it may find more)."""
        values = {row.get(self.field) for row in rows}
        query = Q(**{f"{self.field}__in": [value for value in values if value is not None]})
        if None in values:
            query |= Q(**{f"{self.field}__isnull": True})
        texts = {value.casefold() for value in values if isinstance(value, str)}
        if texts:
            # Case-insensitive text keys: the IN list above finds exact matches; this, the other cases.
            query |= Q(**{f"{self.field}__iexact": next(iter(texts))}) if len(texts) == 1 else Q(
                **{f"{self.field}__lower__in": texts})
        return query


class Text(Column):
    """Text; runs of spaces collapse (names). ``lines=True`` keeps the text's own lines (descriptions)."""

    def __init__(self, name: str, *, lines: bool = False, **options):
        super().__init__(name, **options)
        self.lines = lines

    def parse(self, cells):
        return cells.raw(self.name) if self.lines else cells.text(self.name)


class Choice(Column):
    """A stored value or its label, in any case. ``empty_is_default``: an empty cell means the field's default."""


    def __init__(self, name: str, *, empty_is_default: bool = False, **options):
        super().__init__(name, **options)
        self.empty_is_default = empty_is_default

    @cached_property
    def _choices(self) -> dict[str, str]:
        choices = {}
        for value, label in self.model._meta.get_field(self.field).flatchoices:
            choices.update({str(label).casefold(): value, str(value).casefold(): value})
        return choices

    def parse(self, cells):
        text_ = cells.text(self.name)
        if not text_ and self.empty_is_default:
            return self.model._meta.get_field(self.field).get_default()
        # Unknown text is left for full_clean, which lists the choices.
        return self._choices.get(text_.casefold(), text_)


class Country(Column):

    def parse(self, cells):
        return cells.text(self.name).upper()

    def format(self, value):
        # django-countries turns known codes into alpha-2, as record.country.code reads them.
        return self.model._meta.get_field(self.field).countries.alpha2(value) or value

    def key_part(self, values):
        return values.get(self.field)

    def record_key_part(self, record):
        return getattr(record, self.field).code


def too_long(cells, column: str, digits: int) -> bool:
    """Whether the cell's number has more than ``digits`` digits before its point (noted as the cell's problem).

    Checked on the text, before the number is built: "1e999999999" would otherwise become a
    billion-digit integer, and a 5,000-digit one cannot even be printed back.
    """
    try:
        number = Decimal(cells.raw(column))
    except (InvalidOperation, ValueError):
        return False  # not a number at all: the cell's own reader says so
    if number.is_finite() and number and number.adjusted() >= digits:
        raw = cells.raw(column)
        shown = raw if len(raw) <= 30 else f"{raw[:30]}…"
        cells.error(column, _("'%(text)s' is too large a number for this column") % {"text": shown})
        return True
    return False


class Integer(Column):
    """A whole number within what the model field stores on every database (PostgreSQL's ranges, the
    narrowest: -2147483648 to 2147483647 for IntegerField, 0 to 2147483647 for PositiveIntegerField)."""

    @cached_property
    def _range(self) -> tuple[int | None, int | None]:
        field = self.model._meta.get_field(self.field)
        return BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))

    def parse(self, cells):
        if too_long(cells, self.name, 19):  # beyond any 64-bit integer
            return None
        value = cells.integer(self.name)
        low, high = self._range
        # Worded as full_clean words a field's own bounds (engine.explain).
        if value is not None and low is not None and value < low:
            cells.error(self.name, _("'%(value)s' is out of range: it must be at least %(limit)s") % {"value": value, "limit": low})
            return None
        if value is not None and high is not None and value > high:
            cells.error(self.name, _("'%(value)s' is out of range: it must be at most %(limit)s") % {"value": value, "limit": high})
            return None
        return value


class Number(Column):
    """A decimal number with no more digits than the model's DecimalField stores."""

    def parse(self, cells):
        if too_long(cells, self.name, 30):  # more than any of the registry's DecimalFields holds
            return None
        value = cells.decimal(self.name)
        field = self.model._meta.get_field(self.field)
        if value is not None and getattr(field, "max_digits", None) is not None:
            try:
                DecimalValidator(field.max_digits, field.decimal_places)(value)
            except ValidationError as error:
                cells.error(self.name, f"'{cells.raw(self.name)}': " + " ".join(error.messages))
                return None
        return value

    def format(self, value):
        return "" if value is None else f"{Decimal(value).normalize():f}"


class Url(Column):

    def parse(self, cells):
        return cells.url(self.name)


class FullDate(Column):

    def parse(self, cells):
        return cells.full_date(self.name)

    def format(self, value):
        return format_date(value)


class PreciseDate(Column):
    """A date at the precision the source states: ``2025``, ``2025-05`` or ``2025-05-14``."""


    @property
    def fields(self):
        return (self.field, f"{self.field}_precision")

    def read(self, cells, lookups, parsed):
        parsed.values[self.field], parsed.values[f"{self.field}_precision"] = cells.dated(self.name)

    def value_fields(self):
        return list(self.fields)

    def write(self, values, related):
        return {self.name: format_date(values[self.field], values[f"{self.field}_precision"])}


class KeyedByForeignKey:
    """For columns that fill a foreign key: as part of a natural key, the related record's primary key counts."""

    def key_part(self, values):
        record = values.get(self.field)
        return record.pk if record is not None else None

    def record_key_part(self, record):
        return getattr(record, f"{self.field}_id")

    def batch_lookup(self, rows):
        return Q(**{f"{self.field}__in": {row[self.field].pk for row in rows if row.get(self.field) is not None}})


class Reference(KeyedByForeignKey, Column):
    """One related record, named by ``label`` (or anything its QuerySet's ``matching_name()`` accepts).

    ``deferred`` references are resolved once the whole file is read: a parent may come later in the file.
    """


    def __init__(self, name: str, *, label: str = "name", deferred: bool = False, hint: str = "", **options):
        super().__init__(name, **options)
        self.label = label
        self.deferred = deferred
        self.hint = hint

    @property
    def target(self) -> type[Model]:
        return self.model._meta.get_field(self.field).related_model

    @property
    def resolved_fields(self):
        return (self.field,)

    def resolve(self, lookups, text_: str):
        return lookups.record(self.target, text_, label=self.label, hint=self.hint)

    def read(self, cells, lookups, parsed):
        if self.deferred:
            parsed.deferred[self.field] = cells.text(self.name)
        else:
            parsed.values[self.field] = cells.reference(self.name, lambda text_: self.resolve(lookups, text_))

    def value_fields(self):
        return [f"{self.field}__{self.label}"]

    def write(self, values, related):
        return {self.name: text(values[f"{self.field}__{self.label}"])}



class References(Column):
    """Several related records through the many-to-many ``field`` (``through_values`` pick e.g. a role)."""

    is_link = True
    list_cell = True

    def __init__(self, name: str, *, label: tuple[str, ...] = ("name",), through_values: dict | None = None,
                 hint: str = "", **options):
        super().__init__(name, **options)
        self.label = label
        self.through_values = through_values or {}
        self.hint = hint

    @property
    def m2m(self):
        return self.model._meta.get_field(self.field)

    @property
    def target(self) -> type[Model]:
        return self.m2m.related_model

    @property
    def through(self) -> type[Model]:
        return self.m2m.remote_field.through

    @property
    def _owner(self) -> str:
        return self.m2m.m2m_field_name()

    @property
    def _item(self) -> str:
        return self.m2m.m2m_reverse_field_name()

    @property
    def _link_accessor(self) -> str | None:
        """The owner's accessor for its link rows, when the link model is declared (it may carry a role)."""
        if self.through._meta.auto_created:
            return None
        return self.through._meta.get_field(self._owner).remote_field.get_accessor_name()

    @property
    def prefetch(self) -> str:
        accessor = self._link_accessor
        return f"{accessor}__{self._item}" if accessor else self.field

    def resolve(self, lookups, text_: str):
        return lookups.record(self.target, text_, label=self.label[0], hint=self.hint)

    def item_label(self, *values) -> str:
        return str(values[0])

    def read(self, cells, lookups, parsed):
        parsed.links[self.name] = cells.references(self.name, lambda text_: self.resolve(lookups, text_))

    def value_fields(self):
        return []

    def related(self, pks):
        links = self.through.objects.filter(**{f"{self._owner}__in": pks}, **self.through_values)
        labels = [f"{self._item}__{field}" for field in self.label]
        return grouped(links.order_by(*labels, f"{self._item}_id").values_list(f"{self._owner}_id", *labels))

    def write(self, values, related):
        return {self.name: join(self.item_label(*(item if isinstance(item, tuple) else (item,))) for item in related)}

    def current(self, record: Model) -> list:
        accessor = self._link_accessor
        if accessor is None:
            return list(getattr(record, self.field).all())
        return [
            getattr(link, self._item) for link in getattr(record, accessor).all()
            if all(getattr(link, key) == value for key, value in self.through_values.items())
        ]

    def link_rows(self, record: Model, items: list) -> list[Model]:
        return [
            self.through(**{f"{self._owner}_id": record.pk, f"{self._item}_id": item.pk}, **self.through_values)
            for item in items
        ]

    def set(self, record: Model, items: list) -> None:
        """Make the record's links exactly ``items``, each link row validated."""
        if self._link_accessor is None:
            getattr(record, self.field).set(items)
            return
        wanted = {item.pk for item in items}
        links = self.through.objects.filter(**{self._owner: record}, **self.through_values)
        links.exclude(**{f"{self._item}_id__in": wanted}).delete()
        present = set(links.values_list(f"{self._item}_id", flat=True))
        for link in self.link_rows(record, [item for item in items if item.pk not in present]):
            link.full_clean()
            link.save()


class Sources(KeyedByForeignKey, Column):
    """The sources a record cites: parallel ``source_title`` / ``source_url`` lists.

    Sources are matched by title (and URL when given); one not yet in the registry is created
    by ``create(title=..., url=...)``. ``single`` columns fill a foreign key (a figure cites one source);
    the others keep their links as a ``References`` column over the same many-to-many field does.
    """

    list_cell = True

    def __init__(self, *, field: str = "sources", single: bool = False, create: Callable, **options):
        super().__init__("source_title", field=field, **options)
        self.single = single
        self.is_link = not single
        self.create = create
        self._links = None if single else References("source_title", field=field, label=("title", "url"))

    def bind(self, model):
        super().bind(model)
        if self._links:
            self._links.bind(model)

    @property
    def headers(self):
        return ("source_title", "source_url")

    @property
    def target(self) -> type[Model]:
        return self.model._meta.get_field(self.field).related_model

    @property
    def resolved_fields(self):
        return (self.field,) if self.single else ()

    def read(self, cells, lookups, parsed):
        sources = self._sources(cells, lookups)
        if self.single:
            parsed.values[self.field] = sources[0] if sources else None
            return
        parsed.links[self.name] = sources
        if not sources and self.required and not cells.failed:
            cells.error("source_title", _("missing required value: every record cites at least one source"))

    def _sources(self, cells, lookups) -> list:
        titles = cells.items("source_title")
        raw_urls = cells.raw("source_url")
        urls = [url.strip() for url in raw_urls.split(LIST_SEPARATOR)] if raw_urls else []
        if self.single and len(titles) > 1:
            cells.error("source_title", _("a figure cites exactly one source"))
            return []
        if urls and len(urls) != len(titles):
            cells.error("source_url", _("give one URL per source title (%(titles)d titles, %(urls)d URLs); leave a URL "
                                        "empty between the separators when it is unknown")
                        % {"titles": len(titles), "urls": len(urls)})
            return []
        found = {}
        for title, url in zip(titles, urls or [""] * len(titles)):
            if not title:
                cells.error("source_title", _("a source has an empty title"))
            elif problem := web_address_problem(url):
                cells.error("source_url", problem)
            else:
                source = lookups.source(self.target, title, url, create=self.create, cells=cells)
                if source is not None:
                    found.setdefault(source.pk, source)
        return list(found.values())

    def value_fields(self):
        return [f"{self.field}__title", f"{self.field}__url"] if self.single else []

    def related(self, pks):
        return None if self.single else self._links.related(pks)

    def write(self, values, related):
        if self.single:
            related = [(values[f"{self.field}__title"], values[f"{self.field}__url"])]
        return {"source_title": join(text(title) for title, _ in related),
                "source_url": join(text(url) for _, url in related)}

    # The link-column interface, for the many-to-many form.

    @property
    def prefetch(self) -> str:
        return self._links.prefetch

    def current(self, record):
        return self._links.current(record)

    def link_rows(self, record, items):
        return self._links.link_rows(record, items)

    def set(self, record, items):
        self._links.set(record, items)


class Subject(Column):
    """What a figure is about: ``subject_type`` names one of ``fields`` (foreign keys), ``subject`` its slug or name."""


    def __init__(self, *, fields: tuple[str, ...], named: tuple[str, ...] = (), **options):
        super().__init__("subject", field=fields[0], required=True, **options)
        self.subject_fields = fields
        self.named = named  # subject types whose names identify a record (others only by slug)

    @property
    def headers(self):
        return ("subject_type", "subject")

    @property
    def required_headers(self):
        return self.headers

    @property
    def fields(self):
        return self.subject_fields

    @property
    def resolved_fields(self):
        return self.subject_fields

    def read(self, cells, lookups, parsed):
        subject_type = cells.text("subject_type")
        if subject_type not in self.subject_fields:
            problem = (_("unknown subject type '%(value)s'") % {"value": subject_type} if subject_type
                       else _("missing required value"))
            cells.error("subject_type", _("%(problem)s (one of: %(choices)s)") % {
                "problem": problem, "choices": ", ".join(self.subject_fields)})
            return
        target = self.model._meta.get_field(subject_type).related_model
        subject = cells.reference("subject", lambda text_: lookups.subject(target, text_, by_name=subject_type in self.named))
        if subject is not None:
            parsed.values[subject_type] = subject
        elif "subject" not in cells.failed:
            cells.error("subject", _("missing required value"))

    def value_fields(self):
        return [f"{field}__slug" for field in self.subject_fields]

    def write(self, values, related):
        # Exactly one subject is set (a check constraint says so).
        subject_type = next(field for field in self.subject_fields if values[f"{field}__slug"] is not None)
        return {"subject_type": subject_type, "subject": values[f"{subject_type}__slug"]}

    def subject_of(self, values: dict) -> tuple[str, Model] | tuple[None, None]:
        return next(((f, values[f]) for f in self.subject_fields if values.get(f) is not None), (None, None))

    def key_part(self, values):
        field, subject = self.subject_of(values)
        return (field, subject.pk if subject else None)

    def record_key_part(self, record):
        field = next(f for f in self.subject_fields if getattr(record, f"{f}_id") is not None)
        return (field, getattr(record, f"{field}_id"))

    def batch_lookup(self, rows):
        query = Q(pk__in=[])
        for field in self.subject_fields:
            pks = {row[field].pk for row in rows if row.get(field) is not None}
            if pks:
                query |= Q(**{f"{field}__in": pks})
        return query


# Export-only columns ---------------------------------------------------------------------------
# Facts a reader wants beside a record (its partners' countries, Chinese names, its page's address) that
# the record does not hold itself: written in the public downloads, ignored by the importer (a row never
# sets them), so a download imports back unchanged. A kind declares them in ``derived``.


class Derived(Column):
    """An export-only column: ``derive`` writes it from the record's values and the download's site."""

    export_only = True

    def __init__(self, name: str, *, about: str = "", **options):
        super().__init__(name, **options)
        self.about = about  # what the column holds, for the format docs

    @property
    def fields(self):
        return ()

    @property
    def required_headers(self):
        return ()

    def read(self, cells, lookups, parsed) -> None:
        """Never read: the importer ignores export-only columns."""

    def value_fields(self):
        return []

    def writer(self, absolute_uri: Callable[[str], str]) -> Callable[[dict, list], dict[str, str]]:
        """What writes this column's cells in one download (``absolute_uri`` is the request's)."""
        return self.write


class PageAddress(Derived):
    """The record's public page, as an absolute address (``absolute_uri`` is the request's)."""

    def __init__(self, name: str = "page_url", **options):
        super().__init__(name, field="slug", about="the record's page on this site (absolute address)", **options)

    def value_fields(self):
        return ["slug"]

    def writer(self, absolute_uri):
        # The address of one page, with a marker for the slug, made once per download: resolving each row's
        # took 120 µs. An unsaved instance is all get_absolute_url() needs: the URL is declared on the model.
        marker = "slug-marker-0"
        before, after = absolute_uri(self.model(slug=marker).get_absolute_url()).split(marker, 1)
        return lambda values, related: {self.name: f"{before}{quote(values['slug'])}{after}"}


class LinkedValues(Derived):
    """A list of facts about the records that the foreign key or many-to-many ``field`` names, one per record,
    in the order of the column that names them (by name, then key): a field of theirs (``fact``, read in
    the same query), or what ``facts`` maps their keys to.

    ``distinct`` lists each fact once, sorted (partner countries), instead of one per record (Chinese names,
    "" where a record has none, as in source_url).
    """

    list_cell = True

    def __init__(self, name: str, *, field: str, fact: str = "",
                 facts: Callable[[list[int]], dict[int, str]] | None = None, through_values: dict | None = None,
                 distinct: bool = False, about: str = ""):
        super().__init__(name, field=field, about=about)
        self.fact = fact
        self.facts = facts
        self.distinct = distinct
        self._links = References(name, field=field, through_values=through_values)

    def bind(self, model):
        super().bind(model)
        self._links.bind(model)

    def related(self, pks):
        field = self.model._meta.get_field(self.field)
        if field.many_to_many:
            links = self._links
            item = f"{links._item}__{self.fact}" if self.fact else f"{links._item}_id"
            rows = (links.through.objects.filter(**{f"{links._owner}__in": pks}, **links.through_values)
                    .order_by(f"{links._item}__name", f"{links._item}_id")
                    .values_list(f"{links._owner}_id", item))
        else:
            item = f"{self.field}__{self.fact}" if self.fact else f"{self.field}_id"
            rows = self.model._default_manager.filter(pk__in=pks, **{f"{self.field}__isnull": False}).values_list(
                "pk", item)
        linked = grouped(rows)
        if self.fact:
            return linked
        facts = self.facts(sorted({pk for items in linked.values() for pk in items}))
        return {owner: [facts.get(pk, "") for pk in items] for owner, items in linked.items()}

    def write(self, values, related):
        items = sorted({item for item in related if item}) if self.distinct else related
        return {self.name: join(items) if any(items) else ""}
