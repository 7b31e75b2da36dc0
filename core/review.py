"""Review before publishing, and going back in history: the writes behind the admin's buttons.

An editor's change to a published record is made for real inside a savepoint, read back as a
snapshot and rolled back (``proposal``), so the public keeps the published version and the
change waits, whole, as a PendingChange. Approving, reverting and restoring all write a snapshot
back through ``core.snapshots.restore`` in one transaction, each recorded in the history.
"""
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import history, snapshots
from .choices import ChangeStatus, PublicationState
from .models import PendingChange
from .roles import PUBLISH_PERMISSION


def can_publish(user) -> bool:
    return bool(user and user.has_perm(PUBLISH_PERMISSION))


def needs_review(record, user) -> bool:
    """Whether ``user``'s change to ``record`` must wait for a publisher: a public record changed by a non-publisher."""
    return not can_publish(user) and record.pk is not None and getattr(record, "is_published", True)


class Proposal:
    """What ``proposal`` leaves behind: the PendingChange made (None if nothing changed)."""

    change: PendingChange | None = None


@contextmanager
def proposal(record, *, author, reason: str = ""):
    """Let the block change ``record`` (fields, links, parts), then keep the result as a proposed change instead."""
    base = snapshots.take(record)
    base_version = record.version
    outcome = Proposal()
    with transaction.atomic():
        savepoint = transaction.savepoint()
        yield outcome
        record.refresh_from_db()
        proposed = snapshots.take(record)
        transaction.savepoint_rollback(savepoint)
    record.refresh_from_db()
    if snapshots.changes(type(record), base, proposed):
        outcome.change = PendingChange.objects.create(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk, object_repr=str(record)[:300],
            snapshot=proposed, base_version=base_version, author=author, reason=reason,
        )


def differences(change: PendingChange) -> list[snapshots.Change]:
    """The proposed change as old → new, against the record as it is now."""
    record = change.current_record()
    current = snapshots.take(record) if record is not None else None
    return snapshots.changes(change.record_model, current, change.snapshot)


def _close(change: PendingChange, status: str, *, user, note: str = "") -> None:
    change.status, change.reviewer, change.reviewed_at, change.review_note = status, user, timezone.now(), note
    change.full_clean()
    change.save()


@transaction.atomic
def approve(change: PendingChange, *, reviewer, note: str = ""):
    """Apply the proposed change whole, unless the record changed after it was proposed."""
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change has already been %(status)s.") % {"status": change.get_status_display().lower()})
    if not can_publish(reviewer):
        raise ValidationError(_("Only a publisher can approve changes."))
    record = change.record_model._default_manager.select_for_update().filter(pk=change.object_id).first()
    if record is None:
        raise ValidationError(_("The record has been deleted since this change was proposed."))
    if record.version != change.base_version:
        raise ValidationError(_(
            "“%(record)s” was changed after this change was proposed (version %(base)s, now %(now)s): approving it "
            "would undo that later change. Reject it and ask for the change to be made again on the current version."
        ) % {"record": record, "base": change.base_version, "now": record.version})
    reason = _("Approved the change proposed by %(author)s") % {"author": change.author}
    if change.reason:
        reason = f"{reason}: {change.reason}"
    with history.recorded_change(record, user=reviewer, reason=reason):
        restored = snapshots.restore(change.record_model, change.snapshot)
    _close(change, ChangeStatus.APPROVED, user=reviewer, note=note)
    return restored


def reject(change: PendingChange, *, reviewer, note: str) -> None:
    if not note.strip():
        raise ValidationError(_("Say why the change is rejected: the editor who proposed it will read it."))
    if not can_publish(reviewer):
        raise ValidationError(_("Only a publisher can reject changes."))
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change is no longer waiting for review."))
    _close(change, ChangeStatus.REJECTED, user=reviewer, note=note.strip())


def withdraw(change: PendingChange, *, user) -> None:
    if change.author_id != user.pk:
        raise ValidationError(_("Only the editor who proposed a change can withdraw it."))
    if change.status != ChangeStatus.PENDING:
        raise ValidationError(_("This change is no longer waiting for review."))
    _close(change, ChangeStatus.WITHDRAWN, user=user)


@transaction.atomic
def revert(model, entry, *, user, reason: str = ""):
    """Make the record what history ``entry`` shows (fields and relations); recorded as a change of its own.

    Also restores a deleted record, from its last entry. Raises snapshots.RestoreRefused when
    the earlier state would break a rule now (e.g. a published record naming a since-unpublished one).
    """
    if not entry.snapshot:
        raise snapshots.RestoreRefused([_("This history entry predates full snapshots and cannot be restored.")])
    snapshot = entry.snapshot
    if entry.history_type == "-":
        # Restoring a deleted record brings it back as a draft, for a publisher to review.
        snapshot = {**snapshot, "fields": {**snapshot["fields"], "publication_state": PublicationState.DRAFT}} \
            if "publication_state" in snapshot["fields"] else snapshot
    when = timezone.localtime(entry.history_date).strftime("%Y-%m-%d %H:%M")  # as the history pages show it
    default = _("Restored the deleted record") if entry.history_type == "-" else \
        _("Reverted to the version of %(when)s") % {"when": when}
    record = model(pk=snapshot["pk"])
    with history.recorded_change(record, user=user, reason=f"{default}: {reason}" if reason else default,
                                 history_type="+" if entry.history_type == "-" else "~"):
        restored = snapshots.restore(model, snapshot)
        record.refresh_from_db()  # the entry's snapshot is read from this instance, not from the skeleton
    return restored
