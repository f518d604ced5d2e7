"""Demo data of meeting series: the 2021 FGD copied for three regional units in WIB, WITA and WIT."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from directory import services as directory_services
from directory.models import Organization
from meetings import copying
from meetings.models import Meeting, MeetingSeries

SERIES_TITLE = "Sosialisasi Pengawasan P3MI di UPT"
# (name, acronym, zone): two units of the demo's directory and BP2MI's unit in Papua (WIT).
UNITS = [
    ("BP3MI Sumatera Utara (Medan)", "", "Asia/Jakarta"),
    ("BP3MI Sulawesi Selatan (Makassar)", "", "Asia/Makassar"),
    ("BP3MI Papua (Jayapura)", "BP3MI Papua", "Asia/Jayapura"),
]


def _first_weekday(start: date) -> date:
    while start.weekday() >= 5:
        start += timedelta(days=1)
    return start


def upt_series(template_title: str, *, organizer) -> MeetingSeries | None:
    """The series, made once (found again by its title) from the meeting titled `template_title`."""
    existing = MeetingSeries.objects.filter(title=SERIES_TITLE).first()
    if existing is not None:
        return existing
    template = Meeting.objects.filter(title=template_title).order_by("pk").first()
    if template is None:
        return None
    units = []
    for name, acronym, zone in UNITS:
        unit = Organization.objects.named(name).first()
        if unit is None:
            unit = directory_services.save_organization(
                Organization(
                    name=name,
                    acronym=acronym,
                    kind=Organization.Kind.REGIONAL_UNIT,
                    parent=Organization.objects.filter(acronym="BP2MI").first(),
                    timezone=zone,
                ),
                actor=organizer,
            )
        units.append(unit)
    return copying.create_series(
        template,
        actor=organizer,
        title=SERIES_TITLE,
        first_date=_first_weekday(timezone.localdate() + timedelta(days=45)),
        units=units,
    )
