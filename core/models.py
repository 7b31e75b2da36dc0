"""The publishable base of every public record."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import PublicationState


class Publishable(models.Model):
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

    class Meta:
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
