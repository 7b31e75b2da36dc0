"""Bulk import of registry files (CSV or JSON, one kind per file), all-or-nothing.

``import_files`` serves the ``import_registry`` command; ``import_table`` serves the admin,
which hands over rows it has already read. Both validate every row, collect every
problem as "FILE row N, column C: reason", and write nothing unless all rows are good.
"""
import csv
from dataclasses import dataclass, field
from pathlib import Path

from .engine import OUTCOMES, ImportRun
from .kinds import kinds
from .reading import FileProblem, Row, RowError, Table, open_table

__all__ = ["ImportReport", "import_files", "import_table", "FileProblem", "Row", "RowError", "Table"]


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    written: bool = False

    def summary(self) -> list[str]:
        """One line per kind that any row touched, e.g. "programs: 3 created, 1 changed, 10 unchanged"."""
        return [
            f"{kind}: " + ", ".join(f"{counts.get(outcome, 0)} {outcome}" for outcome in OUTCOMES
                                    if outcome != "kept" or counts.get(outcome))
            for kind, counts in self.counts.items()
            if any(counts.values())
        ]


def _run(tables: list[Table], problems: list[RowError], *, dry_run: bool, publish: bool, on_row=None,
         keep=None) -> ImportReport:
    run = ImportRun(publish=publish, on_row=on_row, keep=keep)
    written = run.run(tables, dry_run=dry_run or bool(problems))
    counts = {kind: dict(counter) for kind, counter in run.counts.items()}
    # Each file's problems in row order (a duplicate is found after the rows of its batch are read).
    processed = sorted(tables, key=lambda table: kinds.order(table.kind))
    order = {table.name: index for index, table in enumerate(processed)}
    errors = problems + sorted(run.errors, key=lambda error: (order.get(error.file, -1), error.row or 0))
    return ImportReport(errors=errors, counts=counts, written=written)


def import_files(
    paths: list[Path], *, kind: str | None = None, dry_run: bool = False, publish: bool = False, keep=None,
    on_row=None,
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
        return _run(tables, problems, dry_run=dry_run, publish=publish, keep=keep, on_row=on_row)
    finally:
        for table in tables:
            table.close()


def import_table(table: Table, *, dry_run: bool, publish: bool, on_row=None) -> ImportReport:
    """Import one table whose rows were read elsewhere (the admin's upload)."""
    return _run([table], [], dry_run=dry_run, publish=publish, on_row=on_row)
