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

from .fileformat import kinds
from .fileformat.writing import csv_chunks, export_rows, json_chunks

app_name = "opendata"

FORMATS = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "json": (json_chunks, "application/json; charset=utf-8"),
}


def last_changed(kind):
    if not hasattr(kind.model, "updated_at"):
        return kind.model.history.aggregate(last=Max("history_date"))["last"] if hasattr(kind.model, "history") else None
    return kind.public().aggregate(last=Max("updated_at"))["last"]


def data_page(request):
    files = [
        {"kind": kind.name, "title": kind.title(), "columns": kind.headers, "derived": kind.derived_headers,
         "records": kind.public().count(), "last_changed": last_changed(kind)}
        for kind in kinds
    ]
    context = {"files": files, "made_on": timezone.now(), "licence": settings.REGISTRY_DATA_LICENCE}
    return render(request, "core/data.html", context)


def download(request, kind: str, extension: str):
    if kind not in kinds or extension not in FORMATS:
        raise Http404(_("There is no such data file."))
    chunks, content_type = FORMATS[extension]
    declared = kinds[kind]
    # Streamed: rows are read in chunks as the file is sent, so a large table never sits in memory.
    # Machine-read files: no byte-order mark (the listing downloads have one, for Excel); the export-only
    # columns come after the import format's, so a file imports back as it is.
    rows = export_rows(declared, declared.public(), absolute_uri=request.build_absolute_uri)
    response = StreamingHttpResponse(chunks(declared, rows, header=declared.download_headers)
                                     if extension == "csv" else chunks(declared, rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{extension}"'
    return response


urlpatterns = [
    path("", data_page, name="index"),
    path("<slug:kind>.<slug:extension>", download, name="download"),
]
