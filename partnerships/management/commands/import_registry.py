"""``manage.py import_registry FILE [FILE ...]``: load registry files, all of them or nothing."""
from django.core.management.base import BaseCommand, CommandError

from partnerships.formats import COLUMNS
from partnerships.importing import import_files


class Command(BaseCommand):
    help = (
        "Import institutions, joint institutes, programs, agreements, figures, sources and regions from CSV or "
        "JSON files named after their kind (programs.csv, institutions.json, ...). Files given together are "
        "imported in dependency order, in one transaction: any bad row means nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--kind", choices=sorted(COLUMNS), help="What the files hold, when their names don't say.")
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
