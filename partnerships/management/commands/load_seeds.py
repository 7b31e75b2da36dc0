"""``manage.py load_seeds``: the facts of the four source articles, imported from partnerships/seeds/."""
import csv

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, ngettext

from core.seeding import holds_seeds, load_seed_files


class Command(BaseCommand):
    help = ("Import the seed facts (partnerships/seeds/, published) with the same engine and rules as "
            "import_registry --publish. Records staff changed since are left alone and listed.")

    def add_arguments(self, parser):
        parser.add_argument("--overwrite", action="store_true",
                            help="Replace records that staff changed since the seeds were loaded.")
        parser.add_argument("--if-new", action="store_true",
                            help="Do nothing if the registry holds the seed facts already (what `make run` does).")

    def handle(self, *args, overwrite, if_new, **options):
        if if_new and holds_seeds():
            self.stdout.write(_("The registry holds the seed facts already; run `manage.py load_seeds` to update them."))
            return
        self._warn_missing_articles()
        result = load_seed_files(directory=settings.SEED_FACTS_DIR, overwrite=overwrite)
        if result.report.errors:
            for error in result.report.errors:
                self.stderr.write(str(error))
            count = len(result.report.errors)
            raise CommandError(ngettext("%(count)d problem in the seed files; nothing was loaded.",
                                        "%(count)d problems in the seed files; nothing was loaded.", count) % {"count": count})
        for line in result.report.summary():
            self.stdout.write(line)
        if result.kept:
            self.stdout.write(self.style.WARNING(
                _("Left as they are, changed since the seeds were loaded (load_seeds --overwrite replaces them):")))
            for record in result.kept:
                self.stdout.write(f"  {record}")
        self.stdout.write(self.style.SUCCESS(_("Seed facts loaded.")))

    def _warn_missing_articles(self):
        with (settings.SEED_FACTS_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
            articles = [row["seed_file"] for row in csv.DictReader(handle) if row.get("seed_file")]
        missing = [name for name in articles if not (settings.SEEDS_DIR / name).exists()]
        if missing:
            self.stderr.write(self.style.WARNING(
                _("Seed articles not found in %(directory)s: %(files)s (the facts load all the same).") % {
                    "directory": settings.SEEDS_DIR, "files": ", ".join(missing)}))
