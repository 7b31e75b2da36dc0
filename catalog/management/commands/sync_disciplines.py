"""``manage.py sync_disciplines``: bring the discipline catalogues in line with catalog/data/disciplines.csv."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.disciplines import DISCIPLINES_CSV, sync_disciplines
from catalog.models import Discipline


class Command(BaseCommand):
    help = gettext_lazy(
        "Keep the discipline catalogues current when the file changes: create new rows, update changed ones, "
        "delete none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DISCIPLINES_CSV,
                            help=gettext_lazy("The catalogue file to read (default: the one shipped with the code)."))
        parser.add_argument("--dry-run", action="store_true",
                            help=gettext_lazy("Count what would change; write nothing."))

    def handle(self, *args, file, dry_run, **options):
        with transaction.atomic():
            try:
                report = sync_disciplines(model=Discipline, path=file)
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(_("Disciplines: %(summary)s.") % {"summary": report.summary()})
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
