"""The /data/ page: every kind of published record as CSV and JSON, made from the database when downloaded.

Included from config/urls.py under ``data/`` with the namespace ``opendata``.
"""
from django.conf import settings
from django.db.models import Max
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .formats import COLUMNS, IMPORT_ORDER, MODELS, csv_chunks, export_rows, json_chunks

app_name = "opendata"

FORMATS = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "json": (json_chunks, "application/json; charset=utf-8"),
}
TITLES = {
    "institutions": _("Institutions"),
    "joint_institutes": _("Joint institutes"),
    "programs": _("Programs"),
    "agreements": _("Agreements"),
    "figures": _("Figures"),
    "regions": _("Regions"),
    "sources": _("Sources"),
}


def published(kind: str):
    manager = MODELS[kind].objects
    # Sources have no publication state: they are texts already published elsewhere.
    return manager.published() if hasattr(manager, "published") else manager.all()


def last_changed(kind: str):
    if kind == "sources":
        return MODELS[kind].history.aggregate(last=Max("history_date"))["last"]
    return published(kind).aggregate(last=Max("updated_at"))["last"]


def data_page(request):
    files = [
        {"kind": kind, "title": TITLES[kind], "columns": COLUMNS[kind], "records": published(kind).count(),
         "last_changed": last_changed(kind)}
        for kind in IMPORT_ORDER
    ]
    context = {"files": files, "made_on": timezone.now(), "licence": settings.REGISTRY_DATA_LICENCE}
    return render(request, "partnerships/data.html", context)


def download(request, kind: str, extension: str):
    if kind not in COLUMNS or extension not in FORMATS:
        raise Http404(_("There is no such data file."))
    chunks, content_type = FORMATS[extension]
    # Streamed: rows are read in chunks as the file is sent, so a large table never sits in memory.
    response = StreamingHttpResponse(chunks(kind, export_rows(kind, published(kind))), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{extension}"'
    return response


urlpatterns = [
    path("", data_page, name="index"),
    path("<slug:kind>.<slug:extension>", download, name="download"),
]
