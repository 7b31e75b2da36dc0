"""Writes to catalog records that span several rows or models."""
import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import models, transaction
from django.utils.text import slugify

from .choices import PublicationState
from .models import Discipline, Institution, InstitutionAlias, Source

DISCIPLINES_CSV = Path(__file__).resolve().parent / "data" / "disciplines.csv"
BULK_BATCH_SIZE = 500


def save_changes(instance, values: dict) -> bool:
    """Set ``values`` on ``instance`` and save it, validated, only if something differs.

    Skipping no-op saves keeps repeated loads from touching timestamps or history.
    """
    changed = instance._state.adding or any(getattr(instance, field) != value for field, value in values.items())
    for field, value in values.items():
        setattr(instance, field, value)
    if changed:
        instance.full_clean()
        instance.save()
    return changed


def unique_slug(model, text: str, *, max_length: int = 120) -> str:
    """A slug for ``text`` not yet used by any ``model`` row."""
    return unique_slugs(model, [text], max_length=max_length)[0]


@transaction.atomic
def load_disciplines(*, path: Path = DISCIPLINES_CSV) -> int:
    """Create or update the reference disciplines from ``path``; returns how many rows were read."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_key = {}
    for row in rows:
        catalogue, code = row["catalogue"].strip(), row["code"].strip()
        parent = by_key.get((catalogue, row["parent_code"].strip())) if row["parent_code"].strip() else None
        defaults = {
            "name": row["name"].strip(),
            "native_name": row["native_name"].strip(),
            "rank": row["rank"].strip(),
            "parent": parent,
            "is_stem": row["is_stem"].strip() == "1",
        }
        discipline = Discipline.objects.filter(catalogue=catalogue, code=code).first() or Discipline(
            catalogue=catalogue, code=code
        )
        save_changes(discipline, defaults)
        by_key[(catalogue, code)] = discipline
    return len(rows)


@transaction.atomic
def upsert_institution(
    *,
    slug: str,
    name: str,
    country: str,
    kind: str,
    sources: list[Source],
    native_name: str = "",
    abbreviation: str = "",
    city: str = "",
    region: str = "",
    website: str = "",
    parent: Institution | None = None,
    aliases: list[tuple[str, Source | None]] = (),
    disciplines: list[Discipline] = (),
    description: str = "",
    publication_state: str = PublicationState.PUBLISHED,
) -> Institution:
    """Create or update one institution with its aliases, disciplines and sources."""
    institution = Institution.objects.filter(slug=slug).first() or Institution(slug=slug)
    save_changes(institution, {
        "name": name, "native_name": native_name, "abbreviation": abbreviation, "kind": kind,
        "country": country, "city": city, "region": region, "website": website, "parent": parent,
        "description": description, "publication_state": publication_state,
    })
    institution.sources.set(sources)
    institution.disciplines.set(disciplines)
    for alias_name, alias_source in aliases:
        alias = InstitutionAlias.objects.filter(institution=institution, name=alias_name).first()
        save_changes(alias or InstitutionAlias(institution=institution, name=alias_name), {"source": alias_source})
    return institution


def unique_slugs(model, texts: list[str], *, reserved: set[str] = frozenset(), max_length: int = 120) -> list[str]:
    """Slugs for many new ``model`` rows at once: one query for the common case, none reused."""
    bases = [slugify(text)[:max_length].strip("-") or model._meta.model_name for text in texts]
    taken = set(reserved) | set(model._default_manager.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug = base
        if slug in taken:
            # Rare: fall back to the counting search, skipping slugs handed out in this batch too.
            counter = 2
            while slug in taken or model._default_manager.filter(slug=slug).exists():
                suffix = f"-{counter}"
                slug, counter = f"{base[: max_length - len(suffix)]}{suffix}", counter + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


@transaction.atomic
def create_in_bulk(*, records: list[models.Model], links: Callable[[], Iterable[models.Model]] = tuple) -> None:
    """Insert new records (whose fields already passed full_clean()), then the link rows ``links()`` makes.

    ``links`` is called once the records have their keys. The database checks the constraints
    for the whole batch; if it refuses, the batch is rolled back and the IntegrityError raised,
    so the caller can validate record by record.
    """
    if not records:
        return
    type(records[0])._default_manager.bulk_create(records, batch_size=BULK_BATCH_SIZE)
    by_model: dict[type, list] = {}
    for link in links():
        by_model.setdefault(type(link), []).append(link)
    for model, rows in by_model.items():
        model._default_manager.bulk_create(rows, batch_size=BULK_BATCH_SIZE)


@transaction.atomic
def update_record(*, record: models.Model, values: dict, sources: list[Source] | None = None) -> bool:
    """Apply ``values`` to an existing record, validated; set its sources when given. True if anything changed."""
    changed = save_changes(record, values)
    if sources is not None and {s.pk for s in record.sources.all()} != {s.pk for s in sources}:
        record.sources.set(sources)
        changed = True
    return changed


@transaction.atomic
def update_institution(*, institution: Institution, values: dict, aliases: list[str] | None = None) -> bool:
    """Apply ``values`` to an institution; when ``aliases`` is given, its aliases become exactly those names.

    Unlike upsert_institution this leaves everything not named untouched (disciplines, sources, description).
    """
    changed = save_changes(institution, values)
    if aliases is not None:
        wanted = {" ".join(name.split()).casefold(): name for name in aliases}
        for alias in institution.aliases.all():
            if wanted.pop(" ".join(alias.name.split()).casefold(), None) is None:
                alias.delete()
                changed = True
        for name in wanted.values():
            save_changes(InstitutionAlias(institution=institution, name=name), {})
            changed = True
    return changed


@transaction.atomic
def create_source(*, title: str, url: str = "") -> Source:
    """A new source known only by its title (and URL), as an import row cites it."""
    source = Source(title=title, url=url, slug=unique_slug(Source, title))
    save_changes(source, {})
    return source
