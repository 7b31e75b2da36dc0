"""``manage.py export_registry DIR``: the registry as open-data files, one CSV and one JSON per kind."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.fileformat import kinds
from core.fileformat.writing import csv_chunks, export_rows, json_chunks

WRITERS = {"csv": csv_chunks, "json": json_chunks}


class Command(BaseCommand):
    help = "Write every kind of record to DIR as KIND.csv and KIND.json, in the format import_registry reads."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--published-only", action="store_true", help="Leave out drafts, as the /data/ page does.")

    def handle(self, *args, directory, published_only, **options):
        target = Path(directory)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {target}: {error.strerror}") from error
        for kind in kinds:
            queryset = kind.public() if published_only else kind.model._default_manager.all()
            for extension, chunks in WRITERS.items():
                path = target / f"{kind.name}.{extension}"
                rows = export_rows(kind, queryset)
                try:
                    with path.open("w", encoding="utf-8", newline="") as handle:
                        handle.writelines(chunks(kind, rows))
                except OSError as error:
                    raise CommandError(f"Cannot write {path}: {error.strerror}") from error
            self.stdout.write(f"{kind.name}: {target / kind.name}.csv, .json")
