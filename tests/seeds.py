from django.conf import settings

from core.seeding import load_seed_files


def load_seed_facts() -> None:
    """The seed facts, loaded as `make run` loads them (failing loudly on a problem in the files)."""
    result = load_seed_files(directory=settings.SEED_FACTS_DIR)
    assert not result.report.errors, "\n".join(map(str, result.report.errors))
