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

from .choices import PublicationState
from .fileformat import kinds
from .fileformat.writing import csv_chunks, export_rows, json_chunks
from .models import Publishable

app_name = "opendata"

FORMATS = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "json": (json_chunks, "application/json; charset=utf-8"),
}


def public_records(kind):
    """The records of ``kind`` the public may download (issue 9: nothing unpublished leaks).

    A model's own ``public()`` read wins (figures about a published subject, sources that a published
    record cites); a record without a publication state of its own (an institution's other name) is
    public when the publishable record it belongs to is; otherwise the published records.
    """
    manager = kind.model._default_manager
    if hasattr(manager, "public"):
        return manager.public()
    owners = [
        field.name for field in kind.model._meta.concrete_fields
        if field.many_to_one and issubclass(field.related_model, Publishable) and not field.null
    ]
    if owners and not issubclass(kind.model, Publishable):
        return manager.filter(**{f"{name}__publication_state": PublicationState.PUBLISHED for name in owners})
    return kind.public()


def last_changed(kind):
    if not hasattr(kind.model, "updated_at"):
        return kind.model.history.aggregate(last=Max("history_date"))["last"] if hasattr(kind.model, "history") else None
    return public_records(kind).aggregate(last=Max("updated_at"))["last"]


def data_page(request):
    files = [
        {"kind": kind.name, "title": kind.title(), "columns": kind.headers, "records": public_records(kind).count(),
         "last_changed": last_changed(kind)}
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
    response = StreamingHttpResponse(chunks(declared, export_rows(declared, public_records(declared))),
                                     content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{extension}"'
    return response


urlpatterns = [
    path("", data_page, name="index"),
    path("<slug:kind>.<slug:extension>", download, name="download"),
]
