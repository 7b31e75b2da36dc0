"""The shared filter fields (core.filters) turn any user input into a clean value or a readable error, never a crash."""
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.filters import CountryCodesField, TextListField


@given(st.lists(st.text(max_size=12), max_size=4))
@settings(max_examples=150, deadline=None)
def test_country_codes_field_never_crashes(values):
    try:
        cleaned = CountryCodesField(required=False).clean(values)
    except ValidationError as error:
        assert "country code" in " ".join(error.messages)
    else:
        assert all(code == code.upper() and len(code) == 2 for code in cleaned)


def test_country_codes_accept_any_case():
    assert CountryCodesField(required=False).clean(["ru", " Nz "]) == ["RU", "NZ"]


def test_text_list_refuses_nul_characters():
    assert TextListField(required=False).clean([" Chongqing ", ""]) == ["Chongqing"]
    try:
        TextListField(required=False).clean(["Chong\x00qing"])
    except ValidationError as error:
        assert "Null characters are not allowed." in error.messages
    else:
        raise AssertionError("a NUL character was let through")
