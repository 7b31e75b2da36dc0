"""Rebuild the search entries of every searchable kind (after a load that bypassed the ORM, e.g. COPY)."""
from django.core.management.base import BaseCommand
from django.db import transaction

from core.search_index import search_index


class Command(BaseCommand):
    help = ("Rebuild the search entries (core.search) of programs, joint institutes, institutions and agreements. "
            "Saves and imports keep them current; run this after writing to the database by other means.")

    def add_arguments(self, parser):
        parser.add_argument("--if-stale", action="store_true",
                            help="Only the kinds whose entries do not match their records one for one.")

    def handle(self, *args, if_stale=False, **options):
        kinds = search_index.stale_kinds() if if_stale else search_index.kinds()
        with transaction.atomic():
            counts = search_index.rebuild(kinds)
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count} entries")
        if not counts:
            self.stdout.write("Every kind's entries are current.")
