"""The admin forms of partnership records: dates typed at their source's precision, disciplines that suit the level."""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from core.forms import PreciseDateField, PreciseDatesFormMixin

from . import approval
from .choices import MemberRole
from .models import Agreement, JointInstitute, Program, discipline_problems


APPROVAL_NUMBER_HELP = _(
    "The Ministry of Education's number, e.g. MOE50RU2A20241234N: authority, province code, partner's country "
    "code, level digit, degree/non-degree letter, approval year, serial number, closing letter. Its province, "
    "country and year must agree with the host's region, a partner's country and the approval date."
)


class ApprovalNumberFormMixin:
    def clean_approval_number(self):
        """A number typed with spaces, in lower case or full-width is kept as the Ministry writes it;
        one that breaks the pattern is kept as typed, for the model's clean() to explain."""
        number = self.cleaned_data.get("approval_number", "")
        decoded = approval.decode(number) if number else None
        return decoded.normalised if decoded and decoded.is_valid else number


class JointInstituteForm(ApprovalNumberFormMixin, PreciseDatesFormMixin, forms.ModelForm):
    launched_on = PreciseDateField(required=False)
    approval_date = PreciseDateField(required=False)

    class Meta:
        model = JointInstitute
        exclude = ["launched_on_precision", "approval_date_precision"]
        help_texts = {"approval_number": APPROVAL_NUMBER_HELP}


class ProgramForm(ApprovalNumberFormMixin, PreciseDatesFormMixin, forms.ModelForm):
    approval_date = PreciseDateField(required=False)

    class Meta:
        model = Program
        exclude = ["approval_date_precision"]
        help_texts = {"approval_number": APPROVAL_NUMBER_HELP}

    def clean(self):
        cleaned_data = super().clean()
        if "disciplines" in self.fields:
            # A level the form does not offer is the record's; one that did not clean has its own error.
            level = cleaned_data.get("level") if "level" in self.fields else self.instance.level
            disciplines = cleaned_data.get("disciplines")
            if level is not None and disciplines is not None:
                for problem in discipline_problems(level, disciplines):
                    self.add_error("disciplines", problem)
        return cleaned_data


class AgreementForm(PreciseDatesFormMixin, forms.ModelForm):
    signed_on = PreciseDateField(required=False)

    class Meta:
        model = Agreement
        exclude = ["signed_on_precision"]


class ApprovalLinksFormSet(BaseInlineFormSet):
    """The partner (or member) rows of a program or joint institute: the approval number's country
    must be one of the partners' countries, and a joint institute's province one of its hosts' provinces."""

    def clean(self):
        super().clean()
        kept = [form.cleaned_data for form in self.forms
                if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("institution")]
        partners = [row["institution"] for row in kept if row.get("role", MemberRole.PARTNER) == MemberRole.PARTNER]
        hosts = [row["institution"] for row in kept if row.get("role") == MemberRole.HOST]
        problems = approval.link_problems(self.instance.approval_number, partners=partners, hosts=hosts)
        if problems:
            raise ValidationError(problems)
