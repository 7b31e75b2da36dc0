"""``manage.py import_registry FILE [FILE ...]``: load registry files, all of them or nothing."""
from django.core.management.base import BaseCommand, CommandError

from core.fileformat import kinds
from core.fileformat.importing import import_files


class Command(BaseCommand):
    help = (
        "Import registry records from CSV or JSON files, one kind per file, told by --kind, the file's name "
        "(programs.csv, institutions.json, ...) or its header. Files given together are imported in dependency "
        "order, in one transaction: any bad row means nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--kind", choices=kinds.names, help="What the files hold (default: told by each file's name or header).")
        parser.add_argument("--dry-run", action="store_true", help="Check and count what would change; write nothing.")
        parser.add_argument("--publish", action="store_true", help="Publish the imported records (default: drafts).")

    def handle(self, *args, files, kind, dry_run, publish, **options):
        report = import_files(files, kind=kind, dry_run=dry_run, publish=publish)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} problem(s) found; nothing was imported.")
        for line in report.summary():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: the counts say what an import would do; nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))
