"""Template helpers for the public pages: precise dates, names in the page's language, unknowns said
plainly, published-only lists, bar charts, schema.org data blocks and the language switcher."""
import json
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

from ..choices import DatePrecision
from ..names import is_chinese

register = template.Library()


@register.filter
def precise_date(value, precision=DatePrecision.DAY):
    """A date shown only as precisely as the source states it: "2025", "May 2025" or "14 May 2025"
    ("2025年", "2025年5月", "2025年5月14日"). The formats are translated strings (Django's date syntax)."""
    if not value:
        return ""
    if precision == DatePrecision.YEAR:
        return date_format(value, pgettext("date format, year precision", "Y"))
    if precision == DatePrecision.MONTH:
        return date_format(value, pgettext("date format, month precision", "F Y"))
    return date_format(value, pgettext("date format, day precision", "j F Y"))


def chinese_name(record) -> str:
    """The record's Chinese name, when the registry knows one: its native name (a Chinese institution's,
    a program's or institute's, a discipline catalogue's official name), else an institution's Chinese
    alias (远东联邦大学). Aliases are read from the prefetched ``aliases`` where the listing prefetched them."""
    native = getattr(record, "native_name", "")
    if is_chinese(native):
        return native
    # Only aliases a query prefetched (with_names()): a name on a page never costs a query of its own.
    if "aliases" in getattr(record, "_prefetched_objects_cache", {}):
        for alias in record.aliases.all():
            if alias.kind != "former" and is_chinese(alias.name):
                return alias.name
    return ""


@dataclass
class Names:
    """A name pair in the page's order: Chinese first on Chinese pages, English first on English ones."""

    first: str
    first_lang: str
    second: str = ""
    second_lang: str = ""


@register.simple_tag
def names(record, english=None):
    """``{% names institution as n %}``: ``n.first`` (and ``n.second`` when both are known), with
    their ``lang`` codes. ``english`` overrides the English name (e.g. a title field)."""
    if english is None:  # str(record) only for a record without a name field: it may read deferred fields
        english = record.name if hasattr(type(record), "name") else str(record)
    chinese = chinese_name(record)
    if not chinese or chinese == english:
        return Names(english, "" if not (get_language() or "").startswith("zh") else "en")
    # The first name is in the page's language, so it needs no lang attribute; the second does.
    if (get_language() or "").startswith("zh"):
        return Names(chinese, "", english, "en")
    return Names(english, "", chinese, "zh-Hans")


# The one phrase for a fact the registry does not hold, so "unknown" never looks like "no".
UNSTATED = _("not stated by the sources")


@register.simple_tag
def unstated():
    """The plain statement that the sources do not give this fact."""
    return format_html('<span class="unstated">{}</span>', UNSTATED)


@register.filter
def or_unstated(value):
    """``value``, or "not stated by the sources" when it is empty (0 is a stated value)."""
    if value is None or value == "" or value == [] or value == ():
        return unstated()
    return value


# As django.utils.html.json_script escapes: no "</script>", "<!--" or "&" can end or confuse the block.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A schema.org ``<script type="application/ld+json">`` data block of ``data`` (a dict built in
    Python); nothing when ``data`` is empty."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


@register.filter
def published_only(records):
    """Drop unpublished records from an (already prefetched) list, so drafts never show."""
    return [record for record in records if getattr(record, "is_published", True)]


@dataclass
class Bar:
    label: str
    value: Decimal | int
    text: str  # the value as shown
    url: str = ""
    percent: float = 0.0


def scaled(items: list[Bar]) -> list[Bar]:
    """Set each bar's length as a share of the largest value."""
    largest = max((float(item.value) for item in items), default=0) or 1
    for item in items:
        item.percent = round(float(item.value) / largest * 100, 1)
    return items


@register.inclusion_tag("registry/includes/bar_chart.html")
def bar_chart(rows, caption, label_heading, value_heading):
    """An accessible bar chart from ``rows`` of (label, value[, url]): a table whose rows
    carry inline SVG bars beside their numbers, so the numbers are text for readers and print."""
    items = [Bar(row[0], row[1], number_format(row[1], force_grouping=True), row[2] if len(row) > 2 else "")
             for row in rows]
    return {"bars": scaled(items), "caption": caption, "label_heading": label_heading,
            "value_heading": value_heading}


@register.inclusion_tag("registry/includes/figure_charts.html")
def figure_charts(figures):
    """One chart per metric that has values for several periods (figures in chronological order)."""
    series = {}
    for figure in figures:
        series.setdefault((figure.get_metric_display(), figure.unit), []).append(figure)
    charts = [
        {"metric": metric, "bars": scaled([Bar(f.period_label, f.value, f.display_value) for f in items])}
        for (metric, _unit), items in series.items()
        if len({f.period_label for f in items}) > 1
    ]
    return {"charts": charts}


@register.simple_tag(takes_context=True)
def language_links(context):
    """The switcher's links: the page being shown, in each language, query string kept."""
    from ..i18n import language_links as links

    request = context.get("request")
    return links(request) if request is not None else []


@register.simple_tag(takes_context=True)
def current_section(context, url):
    """aria-current for a navigation link: "page" on that page, "true" anywhere below it."""
    path = context["request"].path
    if path == url:
        return "page"
    return "true" if path.startswith(url) else ""
