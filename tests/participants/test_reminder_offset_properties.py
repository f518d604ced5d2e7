"""Property tests of SINERGI_REMINDER_OFFSETS (core.offsets, the one grammar the settings and the
reminders read): written canonically, read back the same, or refused."""

import re
from datetime import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from core.offsets import parse_offset, parse_offsets


@st.composite
def offsets(draw):
    """(what an administrator may write, its canonical form, amount, unit, time of day)."""
    unit = draw(st.sampled_from("dhm"))
    at = draw(st.none() | st.times().map(lambda t: time(t.hour, t.minute))) if unit == "d" else None
    amount = draw(st.integers(0 if at else 1, 999))
    zeros = "0" * draw(st.integers(0, 3 - len(str(amount))))  # at most three digits in all
    text = zeros + str(amount) + draw(st.sampled_from([unit, unit.upper()]))
    canonical = f"{amount}{unit}"
    if at is not None:
        hour = f"{at.hour:02d}" if at.hour < 10 and draw(st.booleans()) else str(at.hour)
        text += f"@{hour}{draw(st.sampled_from(':.'))}{at.minute:02d}"
        canonical += f"@{at:%H:%M}"
    spaces = st.sampled_from(["", " ", "  ", "\t"])
    return draw(spaces) + text + draw(spaces), canonical, amount, unit, at


@given(st.lists(offsets(), max_size=5, unique_by=lambda o: o[1]))
def test_offsets_are_written_canonically_and_read_back_the_same(items):
    written = ",".join(item[0] for item in items)
    canonical = parse_offsets(written)
    assert canonical == [item[1] for item in items]
    assert parse_offsets(",".join(canonical)) == canonical
    for text, (_written, _c, amount, unit, at) in zip(canonical, items, strict=True):
        offset = parse_offset(text)
        assert (offset.amount, offset.unit, offset.at) == (amount, unit, at)


@given(offsets())
def test_an_offset_given_twice_is_refused(item):
    with pytest.raises(ImproperlyConfigured, match="appears twice"):
        parse_offsets(f"{item[0]},{item[1]}")


@given(st.text(max_size=20) | st.text("0123456789dhmDHM@:., ٣٠", max_size=14))
def test_any_value_is_refused_with_a_message_or_gives_ascii_canonical_offsets(value):
    try:
        canonical, refused = parse_offsets(value), None
    except ImproperlyConfigured as error:
        canonical, refused = None, error
    if refused is not None:
        assert str(refused).startswith("SINERGI_REMINDER_OFFSETS: ")
    else:
        assert len(set(canonical)) == len(canonical)
        for text in canonical:
            # Canonical means plain ASCII digits: "09:30" and "09:٣٠" are one time, not two offsets.
            assert re.fullmatch(r"[0-9]{1,3}[dhm](@[0-9]{2}:[0-9]{2})?", text)
            assert parse_offset(text).text == text
            assert parse_offsets(text) == [text]


@given(offsets(), st.data())
def test_digits_of_other_scripts_never_make_a_second_spelling_of_an_offset(item, data):
    # The zero of ASCII, Arabic-Indic, Extended Arabic-Indic, Devanagari, Thai and fullwidth digits.
    zeros = st.sampled_from("0\u0660\u06f0\u0966\u0e50\uff10")
    text = "".join(chr(ord(data.draw(zeros)) + int(ch)) if ch.isdigit() else ch for ch in item[0])
    try:
        canonical = parse_offsets(text)
    except ImproperlyConfigured:
        return
    assert canonical == [item[1]]
