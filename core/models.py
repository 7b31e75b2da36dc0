"""The bases of every editable record (versioned, publishable) and the registry's review and seeding records."""
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ChangeStatus, CorrectionStatus, PublicationState


@lru_cache(maxsize=None)
def choice_labels(field) -> dict:
    """``{value: label}`` of a field's choices, built once per field (the labels stay lazy, so the
    language is still the request's)."""
    return {make_hashable(value): label for value, label in field.flatchoices}


class FastChoiceLabels:
    """``get_FOO_display()`` as one dict lookup. Django's builds a dict of every choice, translating
    each label, on every call: a program page with 300 figures spent most of its time there."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


class Versioned(FastChoiceLabels, models.Model):
    """A record staff edit: ``version`` counts its saves, so a form or an import confirmed after
    someone else saved the record can tell (see core.versions) instead of overwriting their change.

    ``snapshot_parts`` names the reverse relations (inline rows: partners, aliases, figures) that
    belong to the record's history and review along with its own fields and many-to-many links.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    snapshot_parts: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class HistorySnapshot(models.Model):
    """Added to every historical record (simple-history's ``bases``): the whole record after the
    change, relations included, so history can show and revert what changed (core.snapshots)."""

    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def RecordHistory() -> HistoricalRecords:  # noqa: N802 (reads as the field it makes)
    """The history every editable record keeps: simple-history's entries, each with its snapshot."""
    return HistoricalRecords(bases=[HistorySnapshot])


class Publishable(Versioned):
    """A record the public sees only once staff publish it."""

    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta(Versioned.Meta):
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    # A published record may only name published records, so the public never meets
    # a draft through a published page, CSV row or API response. The rule is read off
    # the model's relations, so new relations are covered without listing them here.

    def named_records(self):
        """The publishable records this one names (its host, partners, subject, parent...)."""
        for field in self._meta.get_fields():
            if field.auto_created or not field.is_relation or not issubclass(field.related_model, Publishable):
                continue
            if field.many_to_many:
                yield from getattr(self, field.name).all()
            elif getattr(self, field.name) is not None:
                yield getattr(self, field.name)

    def naming_records(self):
        """The published records that name this one."""
        for relation in self._meta.related_objects:
            if issubclass(relation.related_model, Publishable):
                yield from getattr(self, relation.get_accessor_name()).published()

    def publication_blockers(self, state: str) -> list:
        """Why this record cannot move to ``state``: the records that would break the rule."""
        if state == PublicationState.PUBLISHED:
            return [record for record in self.named_records() if not record.is_published]
        return list(self.naming_records())


class SeedRecord(models.Model):
    """What ``load_seeds`` last wrote into one record, so that a later run can tell staff edits apart.

    ``fingerprint`` hashes the record's row in the file format as the seeds left it: a record whose
    row no longer hashes so has been changed since, and the seeds leave it alone.
    """

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=1000, help_text=_("The record's slug, or its natural key."))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("seeded record")
        verbose_name_plural = _("seeded records")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="seedrecord_unique_key")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeStatus.PENDING)

    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)

    def visible_to(self, user):
        """Publishers and viewers see every proposed change; an editor sees their own."""
        if user.has_perm("core.publish_records") or not user.has_perm("core.add_pendingchange"):
            return self
        return self.filter(author=user)


class PendingChange(models.Model):
    """A change an editor made to a published record, kept beside it until a publisher approves it.

    ``snapshot`` is the whole record as the editor left it (core.snapshots); ``base_version`` is
    the record's version the change was made on, so approving it can never overwrite a later change.
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=300)
    snapshot = models.JSONField(_("proposed record"))
    base_version = models.PositiveIntegerField(_("made on version"))
    reason = models.TextField(_("reason for the change"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="proposed_changes"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="reviewed_changes",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's reason"), blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        permissions = [("publish_records", _("Can publish, unpublish and delete records and approve changes"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ChangeStatus.PENDING) | models.Q(reviewed_at__isnull=False),
                name="pendingchange_reviewed_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pendingchange_record")]

    def __str__(self) -> str:
        return _("Change to “%(record)s” by %(author)s") % {"record": self.object_repr, "author": self.author}

    def get_absolute_url(self) -> str:
        return reverse("admin:core_pendingchange_change", args=[self.pk])

    @property
    def record_model(self):
        return self.content_type.model_class()

    def current_record(self):
        """The record as it is now (None if it has been deleted since)."""
        return self.record_model._default_manager.filter(pk=self.object_id).first()


class CorrectionReport(models.Model):
    """What a member of the public says is wrong on a record's page. Staff read and resolve it in the admin;
    it is never published, and changes no record by itself."""

    MESSAGE_MAX_LENGTH = 2000

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=300)
    page_url = models.CharField(_("page address"), max_length=500)
    message = models.TextField(_("what is wrong"), max_length=MESSAGE_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="resolved_corrections",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True, help_text=_("For staff only; never shown to the public."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction report")
        verbose_name_plural = _("correction reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=CorrectionStatus.OPEN) | models.Q(resolved_at__isnull=False),
                name="correctionreport_resolved_when_closed",
                violation_error_message=_("A resolved report needs the time it was resolved."),
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="correctionreport_record")]

    def __str__(self) -> str:
        return _("Correction to “%(record)s”") % {"record": self.object_repr}

    def get_absolute_url(self) -> str:
        return reverse("admin:core_correctionreport_change", args=[self.pk])


class SearchEntry(models.Model):
    """The normalised text a search looks in for one record (``core.search``; kept current by
    ``core.search_index``). One table for every kind, so the layers need no search column of their own.

    On PostgreSQL a pg_trgm GIN index on ``document`` (added by the migration only there) serves
    the ``LIKE '%term%'`` test of each query term.
    """

    kind = models.CharField(_("kind of record"), max_length=100, help_text=_("The model's label, e.g. partnerships.program."))
    object_id = models.BigIntegerField(_("record id"))
    names = models.TextField(_("own names"), blank=True)
    document = models.TextField(_("searchable text"), blank=True)

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_record")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
