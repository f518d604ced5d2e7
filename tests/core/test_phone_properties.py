"""Property tests of phone normalisation: every way of writing a mobile number gives one form."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.phone import normalize_phone

STORED = re.compile(r"\+628[0-9]{8,12}")
# What people put between digit groups (NBSP and tab are whitespace too).
separators = st.lists(st.sampled_from([" ", "-", ".", "(", ")", "\t", "\u00a0", "  "]), max_size=2).map(
    "".join
)
# A mobile number after +62: 8, then 8 to 12 more digits.
subscriber = st.from_regex(r"8[0-9]{8,12}", fullmatch=True)
prefixes = st.sampled_from(["0", "62", "+62"])


@st.composite
def written(draw, digits):
    """`digits` as a person might type it: a prefix, then separators anywhere between characters."""
    text = draw(prefixes) + draw(digits)
    return "".join(ch + draw(separators) for ch in text).strip() if draw(st.booleans()) else text


@given(st.data(), subscriber)
def test_every_way_of_writing_a_mobile_number_gives_the_same_stored_form(data, rest):
    assert normalize_phone(data.draw(written(st.just(rest)))) == "+62" + rest


@given(st.text(max_size=30) | written(st.text("0123456789+ -", max_size=16)))
def test_any_input_is_stored_canonically_or_refused_with_a_message(value):
    try:
        stored, refused = normalize_phone(value), None
    except ValidationError as error:
        stored, refused = None, error
    if refused is not None:
        assert refused.code in {"format", "not_mobile", "length"}
        assert refused.messages
    else:
        assert STORED.fullmatch(stored)
        assert normalize_phone(stored) == stored


@given(prefixes, st.from_regex(r"8[0-9]{0,7}|8[0-9]{13,18}", fullmatch=True))
def test_too_short_or_too_long_numbers_are_refused_as_such(prefix, rest):
    with pytest.raises(ValidationError) as error:
        normalize_phone(prefix + rest)
    assert error.value.code == "length"


@given(prefixes, st.from_regex(r"[1-79][0-9]{8,12}", fullmatch=True))
def test_landlines_are_refused_as_not_mobile(prefix, rest):
    with pytest.raises(ValidationError) as error:
        normalize_phone(prefix + rest)
    assert error.value.code == "not_mobile"


@given(
    prefixes,
    st.text(st.characters(categories=["Nd"], exclude_characters="0123456789"), min_size=9, max_size=13),
)
def test_digits_of_other_scripts_are_refused(prefix, digits):
    with pytest.raises(ValidationError):
        normalize_phone(prefix + "8" + digits)
