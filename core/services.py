"""Writes every kind of record shares: validated saves, slugs, bulk inserts, updates with their links."""
from collections.abc import Callable, Iterable

from django.db import models, transaction
from django.utils.text import slugify

from .cache import note_write

BULK_BATCH_SIZE = 500


def save_changes(instance: models.Model, values: dict) -> bool:
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
    note_write()  # bulk inserts send no signals: the cached pages' data version is bumped on commit


@transaction.atomic
def update_record(*, record: models.Model, values: dict, links: dict) -> bool:
    """Apply ``values`` to an existing record, validated, and make each link column's links exactly its items.

    ``links`` maps link columns (see core.fileformat.columns) to the records they should link.
    True if anything changed.
    """
    changed = save_changes(record, values)
    for column, items in links.items():
        if {item.pk for item in column.current(record)} != {item.pk for item in items}:
            column.set(record, items)
            changed = True
    return changed
