"""The README's table of the file format is the one the kind declarations give."""
from pathlib import Path

from core.fileformat.docs import format_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_has_the_format_table_of_the_declarations():
    assert format_table() in README.read_text(encoding="utf-8"), (
        "The README's format table is out of date: replace it with the output of `manage.py format_table`."
    )
