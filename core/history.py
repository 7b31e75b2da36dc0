"""History entries (django-simple-history) that hold the whole record: who, when, why and what.

simple-history writes an entry on every save of a tracked record. Relations (many-to-many links,
inline parts) are written after that save, so each logical change (an admin save, an import row,
a revert, an approval) runs inside ``recorded_change``, which leaves exactly one entry whose
snapshot is the record as the change left it, with its author and reason.
"""
from contextlib import contextmanager

from django.db.models import OuterRef, Subquery
from django.db.models.signals import pre_delete
from django.utils import timezone
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_manager_for_model

from . import snapshots


def is_tracked(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def entries(record):
    """The record's history, newest first."""
    return get_history_manager_for_model(type(record)).filter(**{type(record)._meta.pk.attname: record.pk})


def deleted_entries(model):
    """The "deleted" entries of ``model``'s records that are gone now (the last entry of each), newest first."""
    history = get_history_manager_for_model(model).model
    pk = model._meta.pk.attname
    last = history.objects.filter(**{pk: OuterRef(pk)}).order_by("-history_date", "-history_id").values("history_id")[:1]
    return (
        history.objects.filter(history_type="-", history_id=Subquery(last))
        .exclude(**{f"{pk}__in": model._default_manager.values("pk")})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def _latest_id(record):
    return entries(record).values_list("history_id", flat=True).first()


@contextmanager
def recorded_change(record, *, user=None, reason: str = "", history_type: str = "~"):
    """Leave one history entry for whatever the block does to ``record``, relations included."""
    before = _latest_id(record) if record.pk else None
    yield
    latest = entries(record).first()
    if latest is None or latest.history_id == before:
        write_entries([record], user=user, reason=reason, history_type=history_type)
        return
    latest.snapshot = snapshots.take(record)
    latest.history_change_reason = reason or latest.history_change_reason or ""
    if user is not None and getattr(user, "pk", None):
        latest.history_user = user
    latest.save(update_fields=["snapshot", "history_change_reason", "history_user"])


def write_entries(records, *, user=None, reason: str = "", history_type: str = "+") -> None:
    """History entries for records written without one (bulk inserts), each with its snapshot."""
    if not records:
        return
    history = get_history_manager_for_model(type(records[0])).model
    now = timezone.now()
    user = user if getattr(user, "pk", None) else None
    taken = snapshots.take_many(records)
    history.objects.bulk_create([
        history(
            history_date=now, history_user=user, history_change_reason=reason, history_type=history_type,
            snapshot=taken[record.pk],
            **{field.attname: getattr(record, field.attname) for field in history.tracked_fields},
        )
        for record in records
    ], batch_size=500)


def _snapshot_into_entry(sender, instance, history_instance, **kwargs):
    """Every automatic entry (a save anywhere) carries the record as it stands."""
    if history_instance.snapshot is None and hasattr(type(instance), "snapshot_parts"):
        history_instance.snapshot = getattr(instance, "_snapshot_before_delete", None) or snapshots.take(instance)


def _snapshot_before_delete(sender, instance, **kwargs):
    # The parts are deleted before the record: keep them for the "deleted" entry and for restoring.
    if is_tracked(sender) and hasattr(sender, "snapshot_parts"):
        instance._snapshot_before_delete = snapshots.take(instance)


def connect() -> None:
    pre_create_historical_record.connect(_snapshot_into_entry, dispatch_uid="core.history.snapshot")
    pre_delete.connect(_snapshot_before_delete, dispatch_uid="core.history.before_delete")
