"""Bulk import of registry files (CSV or JSON, one kind per file), all-or-nothing.

``import_files`` serves the ``import_registry`` command; ``import_table`` serves the admin,
which hands over rows it has already read. Both validate every row, collect every
problem as "FILE row N, column C: reason", and write nothing unless all rows are good.
The report says, as data, what the import changes (old and new cells per row) and what
it creates on the side, so the command and the admin's preview show the same.
"""
import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .engine import OUTCOMES, ImportRun, RowChange, SideEffect
from .kinds import kinds
from .reading import FileProblem, Row, RowError, Table, open_table

__all__ = ["ImportReport", "import_files", "import_table", "FileProblem", "Row", "RowError", "Table"]

# Outcomes a summary names only when some row had them.
OCCASIONAL = {"proposed", "kept"}


def outcome_label(outcome: str) -> str:
    return _("proposed for review") if outcome == "proposed" else outcome


def where(file: str, row: int | None, *, with_file: bool) -> str:
    if not with_file:
        return _("row %(row)s") % {"row": row}
    return file if row is None else _("%(file)s row %(row)s") % {"file": file, "row": row}


def empty_or(text: str) -> str:
    return text or _("(empty)")


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    written: bool = False
    changes: list[RowChange] = field(default_factory=list)
    side_effects: list[SideEffect] = field(default_factory=list)
    # "label:pk" -> version of each existing record a row matched, as the run found it.
    versions: dict[str, int] = field(default_factory=dict)
    # Rows whose record changed after the preview that is being confirmed (also in ``errors``).
    conflicts: list[RowError] = field(default_factory=list)

    def summary(self) -> list[str]:
        """One line per kind that any row touched, e.g. "programs: 3 created, 1 changed, 10 unchanged"."""
        return [
            f"{kind}: " + ", ".join(f"{counts.get(outcome, 0)} {outcome_label(outcome)}" for outcome in OUTCOMES
                                    if outcome not in OCCASIONAL or counts.get(outcome))
            for kind, counts in self.counts.items()
            if any(counts.values())
        ]

    @property
    def citation_changes(self) -> list[RowChange]:
        return [change for change in self.changes if change.citation]

    def change_lines(self, *, with_file: bool = True) -> list[str]:
        """Each changed record and its cells, old → new, e.g. "programs.csv row 4: “Physics” (proposed for review)"."""
        lines = []
        for change in self.changes:
            heading = f"{where(change.file, change.row, with_file=with_file)}: “{change.record}”"
            lines.append(heading + (f" ({_('proposed for review')})" if change.proposed else ""))
            lines += [f"    {field.column}: {empty_or(field.old)} → {empty_or(field.new)}" for field in change.fields]
        return lines

    def warning_lines(self, *, with_file: bool = True, done: bool = False) -> list[str]:
        """What deserves a second look: records created on the side, and changed citations."""
        created = _("also created %(noun)s “%(name)s” (%(where)s)") if done else \
            _("would also create %(noun)s “%(name)s” (%(where)s)")
        lines = [created % {"noun": effect.noun, "name": effect.name,
                            "where": where(effect.file, effect.row, with_file=with_file)}
                 for effect in self.side_effects]
        for change in self.citation_changes:
            old, new = change.citation
            lines.append(_("%(where)s: citation changes from “%(old)s” to “%(new)s”") % {
                "where": where(change.file, change.row, with_file=with_file), "old": old, "new": new})
        return lines


def _run(tables: list[Table], problems: list[RowError], *, dry_run: bool, publish: bool, on_row=None,
         keep=None, **recording) -> ImportReport:
    run = ImportRun(publish=publish, on_row=on_row, keep=keep, **recording)
    written = run.run(tables, dry_run=dry_run or bool(problems))
    counts = {kind: dict(counter) for kind, counter in run.counts.items()}
    # Each file's problems in row order (a duplicate is found after the rows of its batch are read).
    processed = sorted(tables, key=lambda table: kinds.order(table.kind))
    order = {table.name: index for index, table in enumerate(processed)}
    errors = problems + sorted(run.errors, key=lambda error: (order.get(error.file, -1), error.row or 0))
    return ImportReport(errors=errors, counts=counts, written=written, changes=run.changes,
                        side_effects=run.side_effects, versions=run.versions, conflicts=run.conflicts)


def import_files(
    paths: list[Path], *, kind: str | None = None, dry_run: bool = False, publish: bool = False, keep=None,
    on_row=None, user=None, reason: str = "",
) -> ImportReport:
    """Import the files at ``paths`` (kind from each name unless ``kind``) in dependency order."""
    tables, problems = [], []
    for path in paths:
        try:
            tables.append(open_table(Path(path), kind))
        except FileProblem as problem:
            problems.append(RowError(Path(path).name, None, None, str(problem)))
        except UnicodeDecodeError:
            problems.append(RowError(Path(path).name, None, None, "the file is not UTF-8 text: save it as UTF-8"))
        except csv.Error as error:
            problems.append(RowError(Path(path).name, None, None, f"the file is not well-formed CSV ({error})"))
    try:
        return _run(tables, problems, dry_run=dry_run, publish=publish, keep=keep, on_row=on_row, user=user,
                    reason=reason)
    finally:
        for table in tables:
            table.close()


def import_table(table: Table, *, dry_run: bool, publish: bool, on_row=None, user=None, reason: str = "",
                 proposer=None, expected_versions: dict[str, int] | None = None) -> ImportReport:
    """Import one table whose rows were read elsewhere (the admin's upload).

    ``proposer``: an editor, whose rows on published records become proposed changes;
    ``expected_versions``: the preview's ``versions``, so a record changed since refuses the import.
    """
    return _run([table], [], dry_run=dry_run, publish=publish, on_row=on_row, user=user, reason=reason,
                proposer=proposer, expected_versions=expected_versions)
