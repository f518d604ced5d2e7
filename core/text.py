"""Cleaning of the names people type: a person's name, position, an organization's name."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_name(value: str) -> str:
    """The name without invisible format characters, on one line, single-spaced.

    Every character of Unicode category Cf goes: bidi overrides and isolates (U+202A–U+202E,
    U+2066–U+2069) that make a name read backwards in a list or a spreadsheet, zero-width
    spaces and joiners, the byte-order mark, the soft hyphen. ZWJ and ZWNJ go too: they shape
    emoji and some Indic and Arabic scripts, but the names here are written in Latin letters
    for Indonesian official documents, where they change nothing visible and only make two
    spellings of one name that look the same. Other control characters and line or paragraph
    separators become spaces.
    """
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cf":
            continue
        kept.append(" " if category in {"Cc", "Zl", "Zp"} else char)
    return _SPACES.sub(" ", "".join(kept)).strip()


def query_text(value: str) -> str:
    """A search box's or a link's text without control and format characters (NUL among them,
    which PostgreSQL cannot compare); spacing is kept, so a stored name still matches exactly."""
    return "".join(c for c in value or "" if unicodedata.category(c) not in {"Cc", "Cf"}).strip()


MAX_ID_DIGITS = 18  # below 2**63: any database's bigint, never an OverflowError


def is_id(value) -> bool:
    """Whether a posted value is a row id: ASCII digits only (`"²".isdigit()` is true, `int("²")`
    fails) and short enough for a database integer."""
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_DIGITS and value.isascii() and value.isdigit()
