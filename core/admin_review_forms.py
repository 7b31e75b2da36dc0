"""What every record's admin form adds to its model's fields: the reason for the change, the version the
form was opened on (core.admin_review_conflicts) and the rule that a published record cites a source."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PublicationState

REASON_FIELD = "change_reason"
VERSION_FIELD = "record_version"
FORM_ONLY_FIELDS = (REASON_FIELD, VERSION_FIELD)

NO_SOURCE = _("A published record must cite at least one source: add one, or keep the record a draft.")


def cites_a_source(record) -> bool:
    """Whether ``record`` names the source it comes from (records without sources always do)."""
    names = {field.name for field in record._meta.get_fields()}
    if "sources" in names:
        return record.pk is not None and record.sources.exists()
    if "source" in names:
        return record.source_id is not None
    return True


class RecordFormRules:
    """Mixed into the admin's ModelForm of a record (see ``record_form``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self._would_be_published() and "sources" in self.fields and not self.has_error("sources"):
            if not cleaned_data.get("sources"):
                self.add_error("sources", NO_SOURCE)
        elif self._would_be_published() and "sources" not in self.fields and not cites_a_source(self.instance):
            self.add_error(None, NO_SOURCE)
        return cleaned_data

    def _would_be_published(self) -> bool:
        if not hasattr(self.instance, "publication_state"):
            return False
        if "publication_state" in self.fields:
            state = self.cleaned_data.get("publication_state")
        else:
            state = self.instance.publication_state
        return state == PublicationState.PUBLISHED


def record_form(form_class):
    """``form_class`` (the admin's ModelForm) with the reason and version fields and the source rule."""
    attrs = {
        REASON_FIELD: forms.CharField(
            label=_("Reason for this change"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
            help_text=_("Optional. Kept in the record's history, and shown to the publisher who reviews your change."),
        ),
        VERSION_FIELD: forms.IntegerField(label=_("version opened"), required=False, min_value=1,
                                          widget=forms.HiddenInput),
    }
    return type(form_class.__name__, (RecordFormRules, form_class), attrs)
