"""``manage.py import_registry FILE [FILE ...]``: load registry files, all of them or nothing."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, ngettext

from core.fileformat import kinds
from core.fileformat.importing import import_files


class Command(BaseCommand):
    help = (
        "Import registry records from CSV or JSON files, one kind per file, told by --kind, the file's name "
        "(programs.csv, institutions.json, ...) or its header. Files given together are imported in dependency "
        "order, in one transaction: any bad row means nothing is written. Every record created or changed is "
        "recorded in its history, with --reason (and --user). CSV files are read row by row, so files too large "
        "for the admin import (settings.REGISTRY_ADMIN_IMPORT_MAX_BYTES, 5 MB by default) are imported here."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--kind", choices=kinds.names, help="What the files hold (default: told by each file's name or header).")
        parser.add_argument("--dry-run", action="store_true", help="Check and show what would change; write nothing.")
        parser.add_argument("--publish", action="store_true", help="Publish the imported records (default: drafts).")
        parser.add_argument("--reason", default="", help="Why the records change: kept in each record's history.")
        parser.add_argument("--user", metavar="USERNAME", help="The staff member the history names for this import.")

    def handle(self, *args, files, kind, dry_run, publish, reason, user, **options):
        report = import_files(files, kind=kind, dry_run=dry_run, publish=publish, user=self._user(user),
                              reason=reason.strip())
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            count = len(report.errors)
            raise CommandError(ngettext("%(count)d problem found; nothing was imported.",
                                        "%(count)d problems found; nothing was imported.", count) % {"count": count})
        for line in report.summary():
            self.stdout.write(line)
        self._show_changes(report)
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: the counts say what an import would do; nothing was written.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user named '%(name)s'; nothing was imported.") % {"name": username})
        return user

    def _show_changes(self, report) -> None:
        if report.changes:
            self.stdout.write(_("Changes to existing records (old → new):"))
            for line in report.change_lines():
                self.stdout.write(f"  {line}")
        warnings = report.warning_lines(done=report.written)
        if warnings:
            self.stdout.write(self.style.WARNING(_("Warnings: check these before relying on the import")))
            for line in warnings:
                self.stdout.write(self.style.WARNING(f"  {line}"))
