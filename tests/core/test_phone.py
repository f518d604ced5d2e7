"""Indonesian mobile numbers: the accepted ways of writing them and the one stored form."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.phone import normalize_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+6281234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("(0812) 3456 7890", "+6281234567890"),
        ("  0812 3456 7890  ", "+6281234567890"),
        ("0812345678", "+62812345678"),  # 9 digits after +62: the shortest
        ("08123456789012", "+628123456789012"),  # 13 digits after +62: the longest
    ],
)
def test_normalize_phone_accepts_indonesian_mobile_formats(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("812345678", "format"),  # no 0, 62 or +62 in front
        ("+1 202 555 0100", "format"),  # another country
        ("0812-3456-abcd", "format"),
        ("0812 3456 ７８９０", "format"),  # full-width digits
        ("+62 0812 3456 7890", "not_mobile"),  # the trunk 0 after the country code
        ("021 5790 1234", "not_mobile"),  # Jakarta landline
        ("+62 21 5790 1234", "not_mobile"),
        ("081234567", "length"),  # 8 digits after +62
        ("081234567890123", "length"),  # 14 digits after +62
        ("+62", "format"),
        ("", "format"),
    ],
)
def test_normalize_phone_rejects_other_numbers(typed, code):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert error.value.code == code


def test_normalize_phone_error_says_how_to_write_the_number():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            normalize_phone("12345")
        assert error.value.messages == [
            "Enter an Indonesian mobile number, for example 0812 3456 7890 or +62 812 3456 7890."
        ]
