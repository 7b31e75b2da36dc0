"""Writes to catalog records that span several rows or models."""
import csv
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from .choices import PublicationState
from .models import Discipline, Institution, InstitutionAlias, Source

DISCIPLINES_CSV = Path(__file__).resolve().parent / "data" / "disciplines.csv"


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


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = 120) -> str:
    """A slug for ``text`` not yet used by another ``model`` row."""
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, counter = base, 2
    while model._default_manager.filter(slug=slug).exclude(pk=instance_pk).exists():
        suffix = f"-{counter}"
        slug, counter = f"{base[: max_length - len(suffix)]}{suffix}", counter + 1
    return slug


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
