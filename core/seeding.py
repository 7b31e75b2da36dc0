"""Loading seed facts: data files in the registry's own format, imported by the importer staff use.

Staff edits win. Each seeded record's row is fingerprinted as the seeds left it; a later load
leaves a record alone when its row no longer matches (someone changed it since) or when the
seeds never wrote it, and lists it. ``overwrite`` replaces such records on purpose.
"""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .fileformat import Kind, kinds
from .fileformat.importing import ImportReport, import_files
from .fileformat.writing import export_rows
from .models import SeedRecord

# What the history says of the records the seeds write.
SEED_REASON = "Seed facts (load_seeds)"


def record_row(kind: Kind, record) -> dict[str, str]:
    return next(export_rows(kind, kind.model._default_manager.filter(pk=record.pk)))


def record_key(kind: Kind, row: dict[str, str]) -> str:
    if kind.has_slug:
        return row["slug"]
    return json.dumps([row[header] for column in kind.key_columns for header in column.headers], ensure_ascii=False)


def fingerprint(row: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class SeedReport:
    report: ImportReport
    kept: list[str] = field(default_factory=list)  # "kind: key" of the records left as staff changed them


def holds_seeds() -> bool:
    """Whether seed facts were ever loaded into this registry."""
    return SeedRecord.objects.exists()


@transaction.atomic
def load_seed_files(*, directory: Path, overwrite: bool = False) -> SeedReport:
    """Import every file in ``directory``, published, all or nothing; see the module's docstring."""
    stored = {(seeded.kind, seeded.key): seeded.fingerprint for seeded in SeedRecord.objects.all()}
    kept, written = [], []

    def keep(kind: Kind, record) -> bool:
        row = record_row(kind, record)
        key = record_key(kind, row)
        changed_since = stored.get((kind.name, key)) != fingerprint(row)
        if changed_since and not overwrite:
            kept.append(f"{kind.name}: {key}")
            return True
        return False

    def on_row(kind_name, number, outcome, record, cells):
        if outcome != "kept":
            written.append((kinds[kind_name], record))

    report = import_files(sorted(directory.glob("*.csv")), publish=True, keep=keep, on_row=on_row, reason=SEED_REASON)
    if report.written:
        for kind, record in written:
            row = record_row(kind, record)
            SeedRecord.objects.update_or_create(kind=kind.name, key=record_key(kind, row),
                                                defaults={"fingerprint": fingerprint(row)})
    return SeedReport(report=report, kept=kept)
