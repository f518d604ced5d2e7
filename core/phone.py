"""Indonesian mobile numbers: accept the ways people write them, store one form (+628…)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Spaces, dashes, dots and brackets people put between digit groups: "0812-3456.7890", "(0812) 3456".
SEPARATORS = re.compile(r"[\s\-.()]+")
# After +62 a mobile number starts with 8 and has 9 to 13 digits in all (ASCII digits only:
# Python's \d would also accept other scripts' digits).
MOBILE = re.compile(r"8[0-9]{8,12}")

EXAMPLE = _("Enter an Indonesian mobile number, for example 0812 3456 7890 or +62 812 3456 7890.")


def normalize_phone(value: str) -> str:
    """Return the number as +62 followed by digits, or raise ValidationError saying what is wrong."""
    raw = SEPARATORS.sub("", value or "")
    if raw.startswith("+62"):
        rest = raw[3:]
    elif raw.startswith("62"):
        rest = raw[2:]
    elif raw.startswith("0"):
        rest = raw[1:]
    else:
        raise ValidationError(EXAMPLE, code="format")
    if not rest.isascii() or not rest.isdigit():
        raise ValidationError(EXAMPLE, code="format")
    if not rest.startswith("8"):
        raise ValidationError(
            _("Please give a mobile number (it starts with 08 or +62 8), not a landline."),
            code="not_mobile",
        )
    if not MOBILE.fullmatch(rest):
        raise ValidationError(
            _("This number is too short or too long for an Indonesian mobile number."), code="length"
        )
    return "+62" + rest
