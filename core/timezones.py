"""Indonesian time zones by their official labels (WIB, WITA, WIT), and the second zone shown beside a time."""

from django.utils.translation import gettext_lazy as _

ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

TIMEZONE_CHOICES = [
    ("Asia/Jakarta", _("WIB — Western Indonesia (Asia/Jakarta, UTC+7)")),
    ("Asia/Makassar", _("WITA — Central Indonesia (Asia/Makassar, UTC+8)")),
    ("Asia/Jayapura", _("WIT — Eastern Indonesia (Asia/Jayapura, UTC+9)")),
    ("Asia/Pontianak", _("WIB — West Kalimantan (Asia/Pontianak, UTC+7)")),
    ("UTC", _("UTC")),
]


def zone_label(tz_name: str) -> str:
    """The label written after a time: WIB, WITA, WIT, else the IANA name."""
    return ZONE_LABELS.get(tz_name, tz_name)


def other_zone(meeting_zone: str, organization) -> str | None:
    """The zone of a person's organization where it differs from the meeting's, for showing times
    in both ("09.00 WIB / 10.00 WITA"); None when there is no organization or the zones agree."""
    own = organization.timezone if organization is not None else None
    return own if own and own != meeting_zone else None
