"""The admin forms of partnership records: dates typed at their source's precision, disciplines that suit the level."""
from django import forms

from core.forms import PreciseDateField, PreciseDatesFormMixin

from .models import Agreement, JointInstitute, Program, discipline_problems


class JointInstituteForm(PreciseDatesFormMixin, forms.ModelForm):
    launched_on = PreciseDateField(required=False)
    approval_date = PreciseDateField(required=False)

    class Meta:
        model = JointInstitute
        exclude = ["launched_on_precision", "approval_date_precision"]


class ProgramForm(PreciseDatesFormMixin, forms.ModelForm):
    approval_date = PreciseDateField(required=False)

    class Meta:
        model = Program
        exclude = ["approval_date_precision"]

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
