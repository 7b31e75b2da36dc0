"""A proposed change records when and by whom it was decided."""
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from core.choices import ChangeStatus
from core.models import PendingChange
from partnerships.models import Program
from tests.constraints import assert_db_refuses
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def closed_without_review_date(author):
    program = ProgramFactory()
    return PendingChange(
        content_type=ContentType.objects.get_for_model(Program), object_id=program.pk, object_repr=str(program),
        snapshot={}, base_version=1, author=author, status=ChangeStatus.APPROVED,
    )


def test_a_closed_change_needs_its_review_date(editor):
    change = closed_without_review_date(editor)
    with pytest.raises(ValidationError):
        change.full_clean()
    assert_db_refuses(change.save)
