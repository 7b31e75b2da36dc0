"""Helpers for page tests: read a response the way a person reads the page; find an admin page."""
import html as html_lib
import re

from django.urls import reverse
from django.utils.html import strip_tags

BLOCK_END = re.compile(r"</(td|th|dt|dd|li|p|h\d|div|caption|tr|legend|label|option)>|<br\s*/?>")


def page_text(response) -> str:
    """The visible text of an HTML response: tags removed, cells kept apart, whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = html_lib.unescape(strip_tags(BLOCK_END.sub(" ", markup)))
    return re.sub(r"\s+", " ", text).strip()


def result_titles(response) -> list[str]:
    """The titles of the records listed on a listing page, in order."""
    markup = response.content.decode()
    return [
        html_lib.unescape(strip_tags(title)).strip()
        for title in re.findall(r'<h3 class="record__title"><a [^>]*>(.*?)</a>', markup)
    ]


def admin_url(model, view, *args) -> str:
    """The admin page ``view`` (changelist, add, change, delete) of ``model``."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def assert_admin_pages_open(client, model) -> None:
    """The model's admin list, add form and (where a record exists) change form all open."""
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    record = model.objects.first()
    if record is not None:
        assert client.get(admin_url(model, "change", record.pk)).status_code == 200
