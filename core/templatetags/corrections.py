"""``{% correction_form record %}``: the "Report a correction" form at the end of a public record page."""
from django import template

from ..corrections import CorrectionForm, record_key

register = template.Library()


@register.inclusion_tag("core/includes/correction_form.html", takes_context=True)
def correction_form(context, record):
    return {"form": CorrectionForm(initial={"record": record_key(record)}), "record": record,
            "csrf_token": context.get("csrf_token"), "open": False}
