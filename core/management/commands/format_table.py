"""``manage.py format_table``: the README's table of the file format, from the kind declarations."""
from django.core.management.base import BaseCommand

from core.fileformat.docs import format_table


class Command(BaseCommand):
    help = "Print the Markdown table of the import/export file format, for the README."

    def handle(self, *args, **options):
        self.stdout.write(format_table(), ending="")
