"""The discipline filter field (catalog.filters) turns any user input into (catalogue, code) pairs or a readable error."""
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.filters import DisciplineKeysField

pytestmark = pytest.mark.django_db


@given(st.lists(st.text(max_size=20), max_size=3))
@settings(max_examples=150, deadline=None)
def test_discipline_keys_field_never_crashes(values):
    try:
        cleaned = DisciplineKeysField(required=False).clean(values)
    except ValidationError as error:
        assert "discipline" in " ".join(error.messages)
    else:
        assert all(":" not in code for _catalogue, code in cleaned)


def test_discipline_keys_are_case_insensitive_pairs():
    assert DisciplineKeysField(required=False).clean(["CN-GRAD:0812"]) == [("cn-grad", "0812")]


@pytest.mark.parametrize(
    "value, message",
    [
        ("0812", "CATALOGUE:CODE"),
        ("xx:0812", "CATALOGUE:CODE"),
        ("cn-grad:9999", "No discipline cn-grad:9999"),
    ],
)
def test_discipline_keys_explain_what_is_wrong(value, message):
    with pytest.raises(ValidationError, match=message):
        DisciplineKeysField(required=False).clean([value])
