"""A kind of record in the file format, declared once: its model, its columns and its natural key.

Import, export, the CSV downloads, the JSON files, the natural-key lookup and the README's format
table all read these declarations. Domain apps declare their kinds in their ``formats`` module
and register them from ``AppConfig.ready()``, lower apps first, which is also the import order.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import CheckConstraint, Model, Q, UniqueConstraint

from ..choices import PublicationState
from ..models import Publishable
from .columns import Column, Derived, Reference, Text


@dataclass
class Parsed:
    """One readable row: field values, link lists and deferred references for the columns the file has."""

    number: int
    values: dict
    links: dict[str, list] = field(default_factory=dict)
    deferred: dict[str, str] = field(default_factory=dict)
    slug: str = ""
    record: Model | None = None


@dataclass(frozen=True)
class RowRule:
    """A rule across several columns that full_clean() cannot check, because one of them is a link column.

    ``problems`` takes ``{column name: value}`` (a link column's value is its list of records) and
    returns ``{column name: message}`` for what is wrong.
    """

    columns: tuple[str, ...]
    problems: Callable[[dict], dict[str, str]]


def _condition_fields(condition) -> list[str]:
    """The field names a constraint's condition mentions, in order."""
    names = []
    for child in condition.children if isinstance(condition, Q) else ():
        if isinstance(child, Q):
            names += _condition_fields(child)
        else:
            names.append(child[0].split("__")[0])
    return names


class Kind:
    """One kind of record: ``columns`` in file order; ``key`` names the columns that identify a record.

    ``derived`` are export-only columns (columns.Derived), written after the others in the public downloads
    and ignored by the importer.
    """

    def __init__(self, name: str, model: type[Model], columns: list[Column], *, key: tuple[str, ...],
                 slug_from=None, order_by: tuple[str, ...] = ("slug",), description: str = "", title=None,
                 rules: tuple[RowRule, ...] = (), derived: list[Derived] = ()):
        self.name = name
        self._title = title
        self.model = model
        self.columns = columns
        self.derived = list(derived)
        self.description = description
        for column in [*columns, *self.derived]:
            column.bind(model)
        self._by_name = {column.name: column for column in columns}
        self.key_columns = [self._by_name[name] for name in key]
        self.has_slug = any(column.name == "slug" for column in columns)
        self.order_by = order_by
        self._slug_from = slug_from
        self.rules = rules

    def __repr__(self) -> str:
        return f"<Kind {self.name}>"

    @cached_property
    def headers(self) -> list[str]:
        return [header for column in self.columns for header in column.headers]

    @cached_property
    def required(self) -> list[str]:
        return [header for column in self.columns for header in column.required_headers]

    @cached_property
    def derived_headers(self) -> list[str]:
        return [header for column in self.derived for header in column.headers]

    @cached_property
    def download_headers(self) -> list[str]:
        """The header of a public download: the import columns, then the export-only ones."""
        return self.headers + self.derived_headers

    @cached_property
    def list_headers(self) -> set[str]:
        return {header for column in [*self.columns, *self.derived] for header in column.list_headers}

    @property
    def identity(self) -> str:
        """How a row finds the record it updates, in words (for messages and the README)."""
        keys = " + ".join(column.name for column in self.key_columns)
        return f"slug, or {keys}" if self.has_slug else keys

    @cached_property
    def link_columns(self) -> list[Column]:
        return [column for column in self.columns if column.is_link]

    @cached_property
    def deferred_columns(self) -> list[Reference]:
        return [column for column in self.columns if getattr(column, "deferred", False)]

    @cached_property
    def prefetch(self) -> list[str]:
        return list(dict.fromkeys(column.prefetch for column in self.link_columns))

    @cached_property
    def resolved_fields(self) -> set[str]:
        return {name for column in self.columns for name in column.resolved_fields}

    def title(self) -> str:
        return str(self._title or self.model._meta.verbose_name_plural.capitalize())

    # Reading -------------------------------------------------------------------------------

    def read(self, cells, lookups) -> Parsed:
        parsed = Parsed(cells.number, {}, slug=cells.raw("slug") if self.has_slug else "")
        for column in self.columns:
            if column.name != "slug" and cells.has(column.headers[0]):
                column.read(cells, lookups, parsed)
        for rule in self.rules:
            # A row giving every column of a rule is judged as it stands, whether it creates or updates.
            if all(cells.has(name) for name in rule.columns):
                self._apply(rule, cells, {name: self._row_value(name, parsed.values, parsed.links)
                                          for name in rule.columns})
        return parsed

    def check_update(self, cells, record: Model, values: dict, links: dict) -> None:
        """Apply the rules a row updating ``record`` gives only some columns of, to the record it would make.

        ``values`` are the row's field values, ``links`` each link column's items once updated.
        """
        for rule in self.rules:
            given = [name for name in rule.columns if cells.has(name)]
            if not given or len(given) == len(rule.columns):
                continue  # nothing of the rule changes, or the row was judged when read
            row = {name: self._row_value(name, values, {column.name: items for column, items in links.items()},
                                         record=record) for name in rule.columns}
            self._apply(rule, cells, row)

    def _row_value(self, name: str, values: dict, links: dict, record: Model | None = None):
        column = self._by_name[name]
        if column.is_link:
            return links.get(name, [])
        if column.field in values or record is None:
            return values.get(column.field)
        return getattr(record, column.field)

    @staticmethod
    def _apply(rule: RowRule, cells, row: dict) -> None:
        if any(name in cells.failed for name in rule.columns):
            return  # a column the rule reads is wrong already, and says so
        given = [name for name in rule.columns if cells.has(name)]
        for name, message in rule.problems(row).items():
            # A problem with a column the file leaves out is the doing of a column it gives.
            cells.error(name if name in given else given[0], message)

    def column_of(self, field_name: str) -> str | None:
        """The header on which a problem with the model field ``field_name`` is reported."""
        return next((column.headers[0] for column in self.columns if field_name in column.fields), None)

    def fields_of(self, header: str) -> tuple[str, ...]:
        return next((column.fields for column in self.columns if header in column.headers), ())

    def unfilled_fields(self, header: set[str]) -> set[str]:
        """Optional fields that no column of ``header`` fills: new records keep their defaults there."""
        return {f.name for f in self.model._meta.concrete_fields if f.blank and self.column_of(f.name) not in header}

    def constraint_column(self, constraint) -> str:
        """The column on which a broken database constraint is reported: its last field that has a column."""
        names = list(constraint.fields) if isinstance(constraint, UniqueConstraint) else []
        if isinstance(constraint, CheckConstraint):
            names = _condition_fields(constraint.condition)
        columns = [column for column in self.columns if set(column.fields) & set(names)]
        # A name says more about a clash than a host or a level does.
        named = [column for column in columns if isinstance(column, Text)]
        return (named or columns)[-1].headers[0] if columns else self.headers[1]

    # Natural key ---------------------------------------------------------------------------

    def natural_key(self, values: dict) -> tuple:
        return tuple(column.key_part(values) for column in self.key_columns)

    def key_of(self, record: Model) -> tuple:
        return tuple(column.record_key_part(record) for column in self.key_columns)

    def lookup_batch(self, rows: list[dict]) -> Q:
        """A query for the records a batch of rows may name by natural key (it may find more)."""
        query = Q()
        for column in self.key_columns:
            query &= column.batch_lookup(rows)
        return query

    def slug_text(self, parsed: Parsed) -> str:
        if self._slug_from:
            return self._slug_from(parsed.values)
        return parsed.values.get("name") or parsed.values.get("title") or ""

    # Writing -------------------------------------------------------------------------------

    def link_rows(self, record: Model, parsed: Parsed) -> list[Model]:
        """The link rows of a record just inserted (it has its key)."""
        return [row for column in self.link_columns if column.name in parsed.links
                for row in column.link_rows(record, parsed.links[column.name])]

    def current_links(self, record: Model) -> dict[str, list]:
        return {column.name: column.current(record) for column in self.link_columns}

    # Export --------------------------------------------------------------------------------

    def value_fields(self) -> list[str]:
        return [name for column in self.columns for name in column.value_fields()]

    def public(self):
        """The records the public may download (the /data/ files, ``export_registry --published-only``).

        A model's own ``public()`` read wins (figures about a published subject, sources that a published
        record cites); a record without a publication state of its own (an institution's other name) is
        public when the publishable record it belongs to is; otherwise the published records.
        """
        manager = self.model._default_manager
        if hasattr(manager, "public"):
            return manager.public()
        if hasattr(manager, "published"):
            return manager.published()
        owners = [
            field.name for field in self.model._meta.concrete_fields
            if field.many_to_one and issubclass(field.related_model, Publishable) and not field.null
        ]
        if owners:
            return manager.filter(**{f"{name}__publication_state": PublicationState.PUBLISHED for name in owners})
        return manager.all()


class KindRegistry:
    """The kinds of the file format, in import order (a kind may name records of the kinds before it)."""

    def __init__(self):
        self._kinds: dict[str, Kind] = {}

    def register(self, *kinds: Kind) -> None:
        for kind in kinds:
            self._kinds[kind.name] = kind

    def __iter__(self):
        return iter(self._kinds.values())

    def __contains__(self, name: str) -> bool:
        return name in self._kinds

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    @property
    def names(self) -> list[str]:
        return list(self._kinds)

    def order(self, name: str) -> int:
        return self.names.index(name)

    def for_header(self, header: list[str]) -> list[Kind]:
        """The kinds whose columns include every column of ``header`` and all their required ones."""
        columns = set(header)
        return [kind for kind in self if columns <= set(kind.download_headers) and set(kind.required) <= columns]


kinds = KindRegistry()
