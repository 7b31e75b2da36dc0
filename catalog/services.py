"""Writes to catalog records."""
from core.services import save_changes, unique_slug

from .models import Source


def create_source(*, title: str, url: str = "") -> Source:
    """A new source known only by its title (and URL), as an import row cites it."""
    source = Source(title=title, url=url, slug=unique_slug(Source, title))
    save_changes(source, {})
    return source
