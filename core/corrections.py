"""“Report a correction”: the form at the end of every public record page, and the one view it posts to.

Reports reach staff in the admin (core.admin_corrections); nothing is published. No login is needed, so the
view is CSRF-protected, rate-limited per client address (through the cache) and has a honeypot for bots.
Included from config/urls.py under ``corrections/`` with the namespace ``corrections``.
"""
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_POST

from .logins import client_address
from .models import CorrectionReport, Publishable

app_name = "corrections"

# At most this many reports (valid or not) from one address per window; settings may say otherwise.
DEFAULT_RATE = 5
DEFAULT_WINDOW_SECONDS = 3600


def record_key(record) -> str:
    """How the form names the record it is about: ``app_label.model:pk``."""
    return f"{record._meta.label_lower}:{record.pk}"


def published_record(key: str):
    """The published record ``key`` names, or None (unknown kind, no such record, or a draft)."""
    label, _sep, pk = (key or "").partition(":")
    if not pk.isdigit() or label.count(".") != 1:
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, Publishable) or not hasattr(model._default_manager, "published"):
        return None
    return model._default_manager.published().filter(pk=int(pk)).first()


class CorrectionForm(forms.ModelForm):
    record = forms.CharField(widget=forms.HiddenInput, max_length=200)
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by bots that fill in every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    class Meta:
        model = CorrectionReport
        fields = ["message", "name", "email"]
        labels = {"message": _("What is wrong, and where did you read otherwise?"), "name": _("Your name (optional)"),
                  "email": _("Your email (optional, if you would like a reply)")}
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].widget.attrs["maxlength"] = CorrectionReport.MESSAGE_MAX_LENGTH
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(gettext("Say what is wrong on the page."))
        return message

    def clean_record(self):
        record = published_record(self.cleaned_data["record"])
        if record is None:
            raise forms.ValidationError(gettext("This record cannot be found: it may have been unpublished."))
        return record


def _over_limit(request) -> bool:
    """Count this post from the client's address; True once it is past the limit for the window."""
    rate = getattr(settings, "REGISTRY_CORRECTIONS_PER_WINDOW", DEFAULT_RATE)
    window = getattr(settings, "REGISTRY_CORRECTIONS_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS)
    key = f"corrections:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > rate


@require_POST
def report(request):
    if _over_limit(request):
        return render(request, "core/correction_limit.html", status=429)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        record = published_record(request.POST.get("record", ""))
        return render(request, "core/correction_form.html", {"form": form, "record": record},
                      status=400 if record is None else 200)
    record = form.cleaned_data["record"]
    thanks = f"{reverse('corrections:thanks')}?{urlencode({'next': record.get_absolute_url()})}"
    if form.cleaned_data["website"]:
        return HttpResponseRedirect(thanks)  # a bot: it is told nothing, and nothing is kept
    report = form.save(commit=False)
    report.content_type = ContentType.objects.get_for_model(record)
    report.object_id = record.pk
    report.object_repr = str(record)[:300]
    report.page_url = record.get_absolute_url()
    report.full_clean()
    report.save()
    return HttpResponseRedirect(thanks)


def thanks(request):
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "core/correction_thanks.html", {"back": back})


urlpatterns = [
    path("", report, name="report"),
    path("thanks/", thanks, name="thanks"),
]
