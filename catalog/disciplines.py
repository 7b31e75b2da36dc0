"""The discipline catalogues of catalog/data/disciplines.csv, and bringing the database in line with them.

No live model is imported here: the data migration passes its historical Discipline model and
the ``sync_disciplines`` command the live one, so both share this one loader.
"""
import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from core.cache import note_write
from core.search_index import search_index

DISCIPLINES_CSV = Path(__file__).resolve().parent / "data" / "disciplines.csv"
COLUMNS = ("catalogue", "code", "parent_code", "rank", "name", "native_name", "is_stem")
SYNCED_FIELDS = ("name", "native_name", "rank", "parent", "is_stem")
BATCH_SIZE = 500


@dataclass(frozen=True)
class CatalogueRow:
    catalogue: str
    code: str
    parent_code: str
    values: dict

    @property
    def key(self) -> tuple[str, str]:
        return self.catalogue, self.code

    @property
    def parent_key(self) -> tuple[str, str] | None:
        return (self.catalogue, self.parent_code) if self.parent_code else None


@dataclass(frozen=True)
class SyncReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    not_in_file: int = 0  # kept, never deleted: programs and institutions may still cite them

    def summary(self) -> str:
        text = _("%(created)d created, %(changed)d changed, %(unchanged)d unchanged") % {
            "created": self.created, "changed": self.changed, "unchanged": self.unchanged,
        }
        if self.not_in_file:
            text += _("; %(count)d not in the file, kept") % {"count": self.not_in_file}
        return text


def read_catalogues(path: Path = DISCIPLINES_CSV) -> list[CatalogueRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(_("%(path)s lacks the column(s) %(columns)s.") % {
                "path": path, "columns": ", ".join(sorted(missing)),
            })
        rows = [
            CatalogueRow(
                catalogue=row["catalogue"].strip(),
                code=row["code"].strip(),
                parent_code=row["parent_code"].strip(),
                values={
                    "name": row["name"].strip(),
                    "native_name": row["native_name"].strip(),
                    "rank": row["rank"].strip(),
                    "is_stem": row["is_stem"].strip() == "1",
                },
            )
            for row in reader
        ]
    seen = set()
    for row in rows:
        if row.key in seen:
            raise ValueError(_("%(path)s lists %(key)s twice.") % {"path": path, "key": ":".join(row.key)})
        seen.add(row.key)
    return rows


def parents_first(rows: list[CatalogueRow]) -> list[list[CatalogueRow]]:
    """The rows in levels, each row after its parent's level, so a parent has its key before its children."""
    levels, placed, pending = [], set(), rows
    while pending:
        level = [row for row in pending if row.parent_key is None or row.parent_key in placed]
        if not level:
            row = pending[0]
            raise ValueError(_("%(key)s names a parent, %(parent)s, that the file does not list.") % {
                "key": ":".join(row.key), "parent": row.parent_code,
            })
        placed.update(row.key for row in level)
        levels.append(level)
        pending = [row for row in pending if row.key not in placed]
    return levels


def sync_disciplines(*, model, path: Path = DISCIPLINES_CSV, using: str = DEFAULT_DB_ALIAS) -> SyncReport:
    """Create the disciplines of ``path`` that ``model`` lacks and update those that differ; delete none."""
    rows = read_catalogues(path)
    manager = model._default_manager.db_manager(using)
    created = changed = 0
    with transaction.atomic(using=using):
        known = {(d.catalogue, d.code): d for d in manager.all()}
        not_in_file = len(known.keys() - {row.key for row in rows})
        for level in parents_first(rows):
            new, edited = [], []
            for row in level:
                parent = known[row.parent_key] if row.parent_key else None
                values = {**row.values, "parent_id": parent.pk if parent else None}
                discipline = known.get(row.key)
                if discipline is None:
                    discipline = model(catalogue=row.catalogue, code=row.code, **values)
                    new.append(discipline)
                elif any(getattr(discipline, field) != value for field, value in values.items()):
                    for field, value in values.items():
                        setattr(discipline, field, value)
                    edited.append(discipline)
                else:
                    continue
                try:  # field rules only: the database enforces uniqueness, and the parent was just read from it
                    discipline.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
                except ValidationError as error:
                    raise ValueError(_("%(key)s: %(problems)s") % {
                        "key": ":".join(row.key), "problems": "; ".join(error.messages),
                    }) from error
            manager.bulk_create(new, batch_size=BATCH_SIZE)
            manager.bulk_update(edited, SYNCED_FIELDS, batch_size=BATCH_SIZE)
            # Renamed disciplines: the programs found by their names (a no-op for a migration's historical model).
            search_index.refresh(model, [discipline.pk for discipline in edited])
            if new:  # not every database returns the new keys from a bulk insert; read them back
                known = {(d.catalogue, d.code): d for d in manager.all()}
            created, changed = created + len(new), changed + len(edited)
        if created or changed:
            note_write(using=using)  # bulk writes send no signals: cached pages must not show the old names
    return SyncReport(created=created, changed=changed, unchanged=len(rows) - created - changed,
                      not_in_file=not_in_file)
