"""Helpers for model tests: a rule must hold in the database too, not only in full_clean()."""
import pytest
from django.db import IntegrityError, transaction


def assert_db_refuses(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()
