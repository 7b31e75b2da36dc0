from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.models import Institution
from partnerships.models import Activity, Agreement, Figure, JointInstitute, Program
from partnerships.seeds import SOURCES, load_seed_facts


class Command(BaseCommand):
    help = "Load the facts of the four source articles in shared/seeds/ (safe to run again: changes nothing)."

    def handle(self, *args, **options):
        missing = [s["seed_file"] for s in SOURCES.values() if not (settings.SEEDS_DIR / s["seed_file"]).exists()]
        if missing:
            self.stderr.write(self.style.WARNING(f"Seed articles not found in {settings.SEEDS_DIR}: {', '.join(missing)}"))
        load_seed_facts()
        counts = ", ".join(
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model in (Institution, JointInstitute, Program, Agreement, Activity, Figure)
            for count in [model.objects.count()]
        )
        self.stdout.write(self.style.SUCCESS(f"Seed facts loaded: {counts}."))
