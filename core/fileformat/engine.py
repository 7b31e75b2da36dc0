"""One import run: every row validated, every problem collected, all files written in one transaction or none.

Every write is recorded: created records get a "+" history entry, each changed record one "~" entry,
and a change an editor makes to a published record is kept as a proposed change (core.review)
instead. The run notes what each row changes (old and new cells) and what it creates on the side
(a source cited by a new title), so a dry run can show it before anything is written.
"""
import copy
import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .. import history, review, snapshots
from ..choices import PublicationState
from ..models import Versioned
from ..search_index import search_index
from ..services import create_in_bulk, unique_slugs, update_record
from .cells import Cells
from .columns import Sources
from .kinds import Kind, Parsed, kinds
from .lookups import Lookups
from .reading import Row, RowError, Table
from .writing import export_rows

BATCH_SIZE = 500
# "kept": a row that matched a record the run was told to leave alone (see ``keep``);
# "proposed": an editor's change to a published record, kept for review instead of made.
OUTCOMES = ("created", "changed", "proposed", "unchanged", "kept")
STATE = "publication_state"  # not a column of the file, but a change the report shows


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
        return _("missing required value")
    if problem.code == "invalid_choice":
        value = (problem.params or {}).get("value", getattr(record, field_name, ""))
        if field_name == "country":
            return _("unknown country code '%(value)s': use an ISO 3166-1 alpha-2 code such as CN or RU") % {"value": value}
        choices = ", ".join(str(choice) for choice, _ in record._meta.get_field(field_name).flatchoices if choice)
        return _("unknown value '%(value)s' (expected one of: %(choices)s)") % {"value": value, "choices": choices}
    if problem.code in ("min_value", "max_value") and problem.params:
        message = (_("'%(value)s' is out of range: it must be at least %(limit)s") if problem.code == "min_value"
                   else _("'%(value)s' is out of range: it must be at most %(limit)s"))
        return message % {"value": problem.params["value"], "limit": problem.params["limit_value"]}
    return " ".join(problem.messages)


def _link_keys(items) -> set:
    return {item if isinstance(item, str) else item.pk for item in items}


def version_key(record) -> str:
    """How a preview remembers a record it would update (see ImportRun.expected_versions)."""
    return f"{record._meta.label_lower}:{record.pk}"


@dataclass(frozen=True)
class FieldChange:
    """One cell of a record's row in the file format, before and after the import."""

    column: str
    old: str
    new: str


@dataclass
class RowChange:
    """An existing record that a row changes or, for an editor's row on a published record, proposes to change."""

    file: str
    row: int
    kind: str
    record: str
    fields: list[FieldChange]
    proposed: bool = False

    @property
    def citation(self) -> tuple[str, str] | None:
        """(old, new) sources cited, when the row changes them: a changed title may be a typo."""
        cited = {change.column: change for change in self.fields if change.column in ("source_title", "source_url")}
        if not cited:
            return None
        title = cited.get("source_title")
        if title is not None:
            return _citation(title.old), _citation(title.new)
        url = cited["source_url"]
        return _citation(url.old), _citation(url.new)


def _citation(cell: str) -> str:
    return "; ".join(item.strip() for item in cell.split("|") if item.strip())


@dataclass(frozen=True)
class SideEffect:
    """A record the import creates that no row of its own kind describes (a source cited by a new title)."""

    file: str
    row: int
    noun: str
    name: str


def _state(kind: Kind, record) -> dict[str, str]:
    """The record as its row in the file format (plus its publication state), read from the database."""
    row = next(export_rows(kind, kind.model._default_manager.filter(pk=record.pk)), {})
    if hasattr(record, STATE):
        row[STATE] = str(PublicationState(getattr(record, STATE)).label)
    return row


def _part_owner(model) -> str | None:
    """For a model without history of its own (an alias): the foreign key to the record it is part of."""
    if history.is_tracked(model):
        return None
    return next((field.name for field in model._meta.fields if field.many_to_one
                 and field.remote_field.get_accessor_name() in getattr(field.related_model, "snapshot_parts", ())), None)


def _differs(record, field_name: str, value) -> bool:
    field = record._meta.get_field(field_name)
    if field.is_relation:
        return getattr(record, field.attname) != (value.pk if value is not None else None)
    return getattr(record, field_name) != value


class ImportRun:
    """``user`` and ``reason`` go into the history; rows ``proposer`` (an editor) makes on published records
    become proposed changes; ``expected_versions`` (from a preview) refuse records changed since."""

    def __init__(self, *, publish: bool = False, on_row: Callable | None = None,
                 keep: Callable[[Kind, object], bool] | None = None, user=None, reason: str = "",
                 proposer=None, expected_versions: dict[str, int] | None = None):
        self.publish = publish
        self.on_row = on_row
        # keep(kind, record): True leaves a matched record as it is (load_seeds: records staff changed).
        self.keep = keep
        self.user = user if getattr(user, "pk", None) else None
        self.reason = reason or ""
        self.proposer = proposer
        self.expected_versions = expected_versions
        self.errors: list[RowError] = []
        self.conflicts: list[RowError] = []
        self.counts = {kind: Counter() for kind in kinds.names}
        self.changes: list[RowChange] = []
        self.side_effects: list[SideEffect] = []
        # The version of every existing record a row matched, as the run found it (what a preview saw).
        self.versions: dict[str, int] = {}
        self.lookups = Lookups(on_source_created=self._source_created, publishing=publish)
        self._file = ""
        self._unfilled: set[str] = set()
        self._floors: dict[str, int] = {}
        self._seen: dict[str, set[int]] = {kind: set() for kind in kinds.names}
        self._deferred: list[tuple[Parsed, object, str]] = []
        self._change_at: dict[tuple[str, int], RowChange] = {}
        self._proposals: dict[str, object] = {}  # record key -> its PendingChange made in this run
        # Records with an entry from this run that a later write (a deferred parent, new aliases) folds into.
        self._recorded: set[str] = set()

    def _source_created(self, source, number: int) -> None:
        kind = next(kind for kind in kinds if kind.model is type(source))
        self.counts[kind.name]["created"] += 1
        self.side_effects.append(SideEffect(self._file, number, str(source._meta.verbose_name), str(source)))
        if history.is_tracked(type(source)):
            history.entries(source).update(history_user=self.user, history_change_reason=self.reason)

    # Reporting ---------------------------------------------------------------------------------

    def report(self, number: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(self._file, number, column, message))

    def cells_for(self, number: int, cells: dict[str, str]) -> Cells:
        return Cells(number, cells, set(cells), self.report, quoted=False)  # text already read from the file

    def recount(self, kind: str, before: str, after: str) -> None:
        self.counts[kind][before] -= 1
        self.counts[kind][after] += 1

    # The run -----------------------------------------------------------------------------------

    def run(self, tables: list[Table], *, dry_run: bool) -> bool:
        """Import ``tables`` in dependency order; returns whether anything was kept (no errors, not a dry run)."""
        # Search entries are refreshed once at the end, bulk-inserted records included (core.search_index).
        with transaction.atomic(), search_index.deferred() as search_batch:
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
                search_batch.cancel()
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
            self.report(None, None, _("the file is not UTF-8 text: save it as UTF-8 (“CSV UTF-8” in spreadsheets)"))
        except csv.Error as error:
            self.report(None, None, _("the file is not well-formed CSV (%(error)s)") % {"error": error})
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
            result = self._apply(kind, cells, fresh, values, {}, created=outcome == "created")
            if result not in (None, "unchanged") and outcome == "unchanged":
                self.recount(kind.name, "unchanged", result)

    def _header_ok(self, kind: Kind, table: Table) -> bool:
        header_row = 1 if table.name.lower().endswith(".csv") else None
        ok = True
        for column, count in Counter(table.header).items():
            if column in kind.derived_headers and count == 1:
                continue  # export-only (a public download's page_url...): ignored, so a download imports back
            if column not in kind.headers:
                self.report(header_row, column or "(empty)",
                            f"unknown column for {kind.name} (the columns are: {', '.join(kind.headers)})")
                ok = False
            elif count > 1:
                self.report(header_row, column, _("the column appears more than once"))
                ok = False
        for column in kind.required:
            if column not in table.header:
                self.report(header_row, column, _("missing required column"))
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
                where = _("row %(number)s") % {"number": earlier} if earlier else _("an earlier row")
                column = "slug" if slug and (slug in in_batch or by_slug.get(parsed.slug)) else kind.headers[1]
                cells.error(column, _("duplicate: %(where)s already gives this %(record)s (same %(identity)s)") % {
                    "where": where, "record": kind.model._meta.verbose_name, "identity": kind.identity})
                continue
            in_batch.update({key: parsed.number, **({slug: parsed.number} if slug else {})})
            if record is None:
                self._check_cited(kind, cells, None, parsed.links.get("source_title", []))
                if not cells.failed:
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
        if not self._as_previewed(cells, record):
            return
        if self.keep is not None and self.keep(kind, record):
            self._seen[kind.name].add(record.pk)
            self._done(kind, parsed, cells, record, "kept")
            return
        if isinstance(record, Versioned):
            self.versions[version_key(record)] = record.version
        values = dict(parsed.values)
        if self.publish and hasattr(record, "publication_state"):
            values["publication_state"] = PublicationState.PUBLISHED
        current = kind.current_links(record)
        links = {column: parsed.links.get(column.name, current[column.name]) for column in kind.link_columns}
        kind.check_update(cells, record, values, links)
        sources = next((items for column, items in links.items() if column.name == "source_title"), None)
        self._check_cited(kind, cells, record, sources)
        if cells.failed:
            return
        changed = any(_differs(record, name, value) for name, value in values.items()) or any(
            _link_keys(links[column]) != _link_keys(current[column.name]) for column in kind.link_columns
        )
        outcome = self._apply(kind, cells, record, values, links) if changed else "unchanged"
        if outcome is None:
            return
        self._seen[kind.name].add(record.pk)
        self._done(kind, parsed, cells, record, outcome)

    def _as_previewed(self, cells: Cells, record) -> bool:
        """Whether ``record`` is still the version the preview showed (when confirming one)."""
        if self.expected_versions is None or not isinstance(record, Versioned):
            return True
        seen = self.expected_versions.get(version_key(record))
        if seen == record.version:
            return True
        entry = history.entries(record).select_related("history_user").first()
        params = {"record": record, "who": (entry.history_user if entry and entry.history_user else _("someone")),
                  "when": localtime(entry.history_date).strftime("%Y-%m-%d %H:%M") if entry else "?"}
        if seen is None:
            message = _("“%(record)s” was added by %(who)s on %(when)s, after the preview") % params
        else:
            message = _("“%(record)s” was changed by %(who)s on %(when)s, after the preview") % params
        cells.error(None, message)
        self.conflicts.append(self.errors[-1])
        return False

    def _check_cited(self, kind: Kind, cells: Cells, record, sources: list | None) -> None:
        """A published record cites at least one source: a publishing import, or a row emptying a published
        record's sources, that would leave one without any is refused."""
        if sources is None or not hasattr(kind.model, "publication_state"):
            return
        if not any(isinstance(column, Sources) for column in kind.link_columns):
            return
        clears = record is not None and record.is_published and cells.has("source_title")
        if (self.publish or clears) and not sources and "source_title" not in cells.failed:
            cells.error("source_title", _("a published record cites at least one source: give its source_title"))

    def _apply(self, kind: Kind, cells: Cells, record, values: dict, links: dict, *, created: bool = False):
        """Write a row's change to ``record``, recorded in its history, or, made by an editor on a published
        record, kept as a proposed change. Returns the row's outcome, or None if the change is refused."""
        key = version_key(record)
        before = None if created else _state(kind, record)
        if self.proposer is not None and isinstance(record, Versioned) and review.needs_review(record, self.proposer):
            # One proposed change per record: a later write (a deferred parent) builds on this run's earlier one.
            earlier = self._proposals.pop(key, None)
            with review.proposal(record, author=self.proposer, reason=self.reason) as proposal:
                if earlier is not None:
                    snapshots.restore(type(record), earlier.snapshot)
                    record.refresh_from_db()
                saved = self.save_update(kind, cells, record, values, links)
                after = _state(kind, record) if saved else None
            if earlier is not None:
                earlier.delete()
            if not saved:
                return None
            if proposal.change is not None:
                self._proposals[key] = proposal.change
            self._note(kind, cells.number, record, before, after, proposed=True)
            return "proposed" if proposal.change is not None else "unchanged"
        owner = _part_owner(type(record))
        subject = getattr(record, owner) if owner else record
        merge = version_key(subject) in self._recorded
        with history.recorded_change(subject, user=self.user, reason=self.reason):
            saved = self.save_update(kind, cells, record, values, links)
        if not saved:
            return None
        if merge:
            self._merge_entries(subject)
        if kind.deferred_columns or owner:
            self._recorded.add(version_key(subject))
        if not created:
            self._note(kind, cells.number, record, before, _state(kind, record))
        return "changed"

    @staticmethod
    def _merge_entries(record) -> None:
        """Fold the run's second entry for ``record`` into its first: one entry per record and import."""
        newest, earlier = list(history.entries(record)[:2])
        newest.history_type = earlier.history_type
        newest.save(update_fields=["history_type"])
        earlier.delete()

    def _note(self, kind: Kind, number: int, record, before: dict, after: dict, *, proposed: bool = False) -> None:
        """Remember the cells the row changes (a deferred reference adds to its row's earlier note)."""
        earlier = self._change_at.get((self._file, number))
        cells = {change.column: [change.old, change.new] for change in earlier.fields} if earlier else {}
        for column in [*kind.headers, STATE]:
            old, new = before.get(column, ""), after.get(column, "")
            if old != new:
                cells.setdefault(column, [old, new])[1] = new
        fields = [FieldChange(column, old, new) for column, (old, new) in cells.items() if old != new]
        if earlier is not None:
            earlier.fields, earlier.proposed = fields, proposed
            return
        change = RowChange(self._file, number, kind.name, str(record), fields, proposed)
        self.changes.append(change)
        self._change_at[(self._file, number)] = change

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
            cells.error(kind.headers[1], _("conflicts with a record already in the registry (%(error)s)") % {"error": error})
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
                    cells.error(kind.headers[1], _("conflicts with a record already in the registry (%(error)s)") % {"error": error})
                else:
                    created.append((parsed, cells))
        self._record_created(kind, [parsed.record for parsed, _ in created])
        for parsed, cells in created:
            self._done(kind, parsed, cells, parsed.record, "created")

    def _record_created(self, kind: Kind, records: list) -> None:
        """A "+" entry for each new record; new parts (aliases) are a change to the record they belong to."""
        if not records:
            return
        owner = _part_owner(kind.model)
        if owner is None:
            history.write_entries(records, user=self.user, reason=self.reason)
            if kind.deferred_columns:
                self._recorded.update(version_key(record) for record in records)
            return
        owners = list({getattr(record, f"{owner}_id"): getattr(record, owner) for record in records}.values())
        owner_kind = next(other for other in kinds if other.model is type(owners[0]))
        # Records this run created or changed already: their entry is brought up to date with the new parts.
        recorded = [subject for subject in owners
                    if version_key(subject) in self._recorded or subject.pk > self._floors[owner_kind.name]]
        others = [subject for subject in owners if subject not in recorded]
        history.write_entries(others, user=self.user, reason=self.reason, history_type="~")
        self._recorded.update(version_key(subject) for subject in others)
        taken = snapshots.take_many(recorded)
        for subject in recorded:
            entry = history.entries(subject).first()
            entry.snapshot = taken[subject.pk]
            entry.save(update_fields=["snapshot"])

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
