"""One import run: every row validated, every problem collected, all files written in one transaction or none."""
import copy
import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from ..choices import PublicationState
from ..services import create_in_bulk, unique_slugs, update_record
from .cells import Cells
from .kinds import Kind, Parsed, kinds
from .lookups import Lookups
from .reading import Row, RowError, Table

BATCH_SIZE = 500
# "kept": a row that matched a record the run was told to leave alone (see ``keep``).
OUTCOMES = ("created", "changed", "unchanged", "kept")


def batched(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def explain(record, field_name: str, problem: ValidationError) -> str:
    """A field's validation message in the words of a spreadsheet user."""
    if problem.code in ("blank", "null", "required"):
        return "missing required value"
    if problem.code == "invalid_choice":
        value = (problem.params or {}).get("value", getattr(record, field_name, ""))
        if field_name == "country":
            return f"unknown country code '{value}': use an ISO 3166-1 alpha-2 code such as CN or RU"
        choices = ", ".join(str(choice) for choice, _ in record._meta.get_field(field_name).flatchoices if choice)
        return f"unknown value '{value}' (expected one of: {choices})"
    if problem.code in ("min_value", "max_value") and problem.params:
        bound = "at least" if problem.code == "min_value" else "at most"
        return f"'{problem.params['value']}' is out of range: it must be {bound} {problem.params['limit_value']}"
    return " ".join(problem.messages)


def _link_keys(items) -> set:
    return {item if isinstance(item, str) else item.pk for item in items}


def _differs(record, field_name: str, value) -> bool:
    field = record._meta.get_field(field_name)
    if field.is_relation:
        return getattr(record, field.attname) != (value.pk if value is not None else None)
    return getattr(record, field_name) != value


class ImportRun:
    def __init__(self, *, publish: bool = False, on_row: Callable | None = None,
                 keep: Callable[[Kind, object], bool] | None = None):
        self.publish = publish
        self.on_row = on_row
        # keep(kind, record): True leaves a matched record as it is (load_seeds: records staff changed).
        self.keep = keep
        self.errors: list[RowError] = []
        self.counts = {kind: Counter() for kind in kinds.names}
        self.lookups = Lookups(on_source_created=self._source_created, publishing=publish)
        self._file = ""
        self._unfilled: set[str] = set()
        self._floors: dict[str, int] = {}
        self._seen: dict[str, set[int]] = {kind: set() for kind in kinds.names}
        self._deferred: list[tuple[Parsed, object, str]] = []

    def _source_created(self, source) -> None:
        kind = next(kind for kind in kinds if kind.model is type(source))
        self.counts[kind.name]["created"] += 1

    # Reporting ---------------------------------------------------------------------------------

    def report(self, number: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(self._file, number, column, message))

    def cells_for(self, number: int, cells: dict[str, str]) -> Cells:
        return Cells(number, cells, set(cells), self.report)

    def recount(self, kind: str, before: str, after: str) -> None:
        self.counts[kind][before] -= 1
        self.counts[kind][after] += 1

    # The run -----------------------------------------------------------------------------------

    def run(self, tables: list[Table], *, dry_run: bool) -> bool:
        """Import ``tables`` in dependency order; returns whether anything was kept (no errors, not a dry run)."""
        with transaction.atomic():
            # Rows created in this run get larger keys than any before: a later row matching one is a duplicate.
            self._floors = {kind.name: kind.model._default_manager.aggregate(top=Max("pk"))["top"] or 0
                            for kind in kinds}
            for table in sorted(tables, key=lambda table: kinds.order(table.kind)):
                self._file = table.name
                try:
                    self._import_table(table)
                finally:
                    table.close()
            keep = not self.errors and not dry_run
            if not keep:
                transaction.set_rollback(True)
        return keep

    def _import_table(self, table: Table) -> None:
        kind = kinds[table.kind]
        if not self._header_ok(kind, table):
            return
        header = set(table.header)
        self._unfilled = kind.unfilled_fields(header)
        try:
            for rows in batched(table.rows, BATCH_SIZE):
                self._import_batch(kind, rows, header)
        except UnicodeDecodeError:
            self.report(None, None, "the file is not UTF-8 text: save it as UTF-8 (\"CSV UTF-8\" in spreadsheets)")
        except csv.Error as error:
            self.report(None, None, f"the file is not well-formed CSV ({error})")
        self._resolve_deferred(kind)

    def _resolve_deferred(self, kind: Kind) -> None:
        """Set the references that had to wait for the whole file (a parent may come later in the file)."""
        pending, self._deferred = self._deferred, []
        self.lookups.forget(kind.model)
        for parsed, record, outcome in pending:
            cells = self.cells_for(parsed.number, {column.name: parsed.deferred[column.field]
                                                   for column in kind.deferred_columns if column.field in parsed.deferred})
            values = {}
            for column in kind.deferred_columns:
                if column.field in parsed.deferred:
                    values[column.field] = cells.reference(column.name, lambda text: column.resolve(self.lookups, text))
            unchanged = not any(_differs(record, name, value) for name, value in values.items())
            if cells.failed or record.pk is None or outcome == "kept" or unchanged:
                continue
            fresh = type(record)._default_manager.get(pk=record.pk)
            if self.save_update(kind, cells, fresh, values, {}) and outcome == "unchanged":
                self.recount(kind.name, "unchanged", "changed")

    def _header_ok(self, kind: Kind, table: Table) -> bool:
        header_row = 1 if table.name.lower().endswith(".csv") else None
        ok = True
        for column, count in Counter(table.header).items():
            if column not in kind.headers:
                self.report(header_row, column or "(empty)",
                            f"unknown column for {kind.name} (the columns are: {', '.join(kind.headers)})")
                ok = False
            elif count > 1:
                self.report(header_row, column, "the column appears more than once")
                ok = False
        for column in kind.required:
            if column not in table.header:
                self.report(header_row, column, "missing required column")
                ok = False
        return ok

    def _import_batch(self, kind: Kind, rows: list[Row], header: set[str]) -> None:
        candidates = []
        for row in rows:
            cells = Cells(row.number, row.cells, header, self.report)
            if row.problem:
                cells.error(None, row.problem)
                continue
            parsed = kind.read(cells, self.lookups)
            parsed.record = kind.model(**parsed.values)
            if parsed.slug:
                parsed.record.slug = parsed.slug
            self._validate(kind, cells, parsed.record, constraints=False, exclude=() if parsed.slug else ("slug",))
            if not cells.failed:
                candidates.append((parsed, cells))
        if not candidates:
            return
        by_slug, by_key = self._existing(kind, [parsed for parsed, _ in candidates])
        new, in_batch = [], {}
        for parsed, cells in candidates:
            key = ("key", kind.natural_key(parsed.values))
            slug = ("slug", parsed.slug) if parsed.slug else None
            record = by_slug.get(parsed.slug) or by_key.get(key[1])
            earlier = in_batch.get(slug) or in_batch.get(key)
            if earlier or (record is not None and self._seen_before(kind, record)):
                where = f"row {earlier}" if earlier else "an earlier row"
                column = "slug" if slug and (slug in in_batch or by_slug.get(parsed.slug)) else kind.headers[1]
                cells.error(column, f"duplicate: {where} already gives this {kind.model._meta.verbose_name} "
                                    f"(same {kind.identity})")
                continue
            in_batch.update({key: parsed.number, **({slug: parsed.number} if slug else {})})
            if record is None:
                new.append((parsed, cells))
            else:
                self._update(kind, cells, parsed, record)
        self._create(kind, new)
        self.lookups.forget(kind.model)

    def _existing(self, kind: Kind, candidates: list[Parsed]) -> tuple[dict, dict]:
        """Records already in the database that rows of this batch name, by slug and by natural key."""
        query = kind.lookup_batch([parsed.values for parsed in candidates])
        slugs = [parsed.slug for parsed in candidates if parsed.slug]
        if slugs:
            query |= Q(slug__in=slugs)
        records = list(kind.model._default_manager.filter(query).order_by().prefetch_related(*kind.prefetch))
        by_slug = {record.slug: record for record in records} if kind.has_slug else {}
        return by_slug, {kind.key_of(record): record for record in records}

    def _seen_before(self, kind: Kind, record) -> bool:
        return record.pk > self._floors[kind.name] or record.pk in self._seen[kind.name]

    # Validation --------------------------------------------------------------------------------

    def _validate(self, kind: Kind, cells: Cells, record, *, constraints: bool, exclude=()) -> None:
        """full_clean() the record and report what it says by column.

        Foreign keys found through lookups exist already, so they are not queried again; the
        constraints (which cost a query each) are checked when ``constraints`` is set, and
        otherwise left to the database, which checks them for a whole batch at once.
        """
        excluded = set(exclude) | {f for column in cells.failed if column for f in kind.fields_of(column)}
        excluded |= {name for name in kind.resolved_fields if getattr(record, f"{name}_id", None) is not None}
        if record._state.adding:
            # Optional fields the file does not fill keep their defaults, which need no checking.
            excluded |= self._unfilled
        try:
            record.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, problems in error.error_dict.items():
                column = kind.column_of(field_name) or kind.headers[1]
                for problem in problems:
                    cells.error(column, explain(record, field_name, problem))
        if not constraints:
            return
        for constraint in type(record)._meta.constraints:
            try:
                constraint.validate(type(record), record, exclude=excluded)
            except ValidationError as error:
                cells.error(kind.constraint_column(constraint), " ".join(error.messages))

    # Writing -----------------------------------------------------------------------------------

    def _update(self, kind: Kind, cells: Cells, parsed: Parsed, record) -> None:
        if self.keep is not None and self.keep(kind, record):
            self._seen[kind.name].add(record.pk)
            self._done(kind, parsed, cells, record, "kept")
            return
        values = dict(parsed.values)
        if self.publish and hasattr(record, "publication_state"):
            values["publication_state"] = PublicationState.PUBLISHED
        current = kind.current_links(record)
        links = {column: parsed.links.get(column.name, current[column.name]) for column in kind.link_columns}
        kind.check_update(cells, record, values, links)
        if cells.failed:
            return
        changed = any(_differs(record, name, value) for name, value in values.items()) or any(
            _link_keys(links[column]) != _link_keys(current[column.name]) for column in kind.link_columns
        )
        if changed and not self.save_update(kind, cells, record, values, links):
            return
        self._seen[kind.name].add(record.pk)
        self._done(kind, parsed, cells, record, "changed" if changed else "unchanged")

    def save_update(self, kind: Kind, cells: Cells, record, values: dict, links: dict) -> bool:
        """Validate the changed record in full, then save it through the kind's service."""
        changed = copy.copy(record)
        for name, value in values.items():
            setattr(changed, name, value)
        self._validate(kind, cells, changed, constraints=True)
        if cells.failed:
            return False
        try:
            update_record(record=record, values=values, links=links)
        except ValidationError as error:
            for field_name, problems in error.error_dict.items():
                column = kind.headers[1] if field_name == NON_FIELD_ERRORS else kind.column_of(field_name)
                for problem in problems:
                    cells.error(column or kind.headers[1], explain(record, field_name, problem))
            return False
        except IntegrityError as error:
            cells.error(kind.headers[1], f"conflicts with a record already in the registry ({error})")
            return False
        return True

    def _create(self, kind: Kind, new: list[tuple[Parsed, Cells]]) -> None:
        if not new:
            return
        if kind.has_slug:
            unnamed = [parsed for parsed, _ in new if not parsed.slug]
            slugs = unique_slugs(kind.model, [kind.slug_text(parsed) for parsed in unnamed],
                                 reserved={parsed.slug for parsed, _ in new if parsed.slug})
            for parsed, slug in zip(unnamed, slugs):
                parsed.record.slug = slug
        if hasattr(kind.model, "publication_state"):
            state = PublicationState.PUBLISHED if self.publish else PublicationState.DRAFT
            for parsed, _ in new:
                parsed.record.publication_state = state
        try:
            self._insert(kind, new)
            created = new
        except IntegrityError:
            # The database refused a rule somewhere in the batch: find which rows, one by one.
            created = []
            for parsed, cells in new:
                self._validate(kind, cells, parsed.record, constraints=True)
                if cells.failed:
                    continue
                try:
                    self._insert(kind, [(parsed, cells)])
                except IntegrityError as error:
                    cells.error(kind.headers[1], f"conflicts with a record already in the registry ({error})")
                else:
                    created.append((parsed, cells))
        for parsed, cells in created:
            self._done(kind, parsed, cells, parsed.record, "created")

    @staticmethod
    def _insert(kind: Kind, new: list[tuple[Parsed, Cells]]) -> None:
        records = [parsed.record for parsed, _ in new]
        try:
            create_in_bulk(
                records=records, links=lambda: [link for parsed, _ in new for link in kind.link_rows(parsed.record, parsed)]
            )
        except IntegrityError:
            for record in records:
                record.pk, record._state.adding = None, True
            raise

    def _done(self, kind: Kind, parsed: Parsed, cells: Cells, record, outcome: str) -> None:
        self.counts[kind.name][outcome] += 1
        if parsed.deferred:
            self._deferred.append((parsed, record, outcome))
        if self.on_row:
            self.on_row(kind.name, parsed.number, outcome, record, cells.cells)
