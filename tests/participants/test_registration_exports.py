"""Exports of the participant list: CSV (BOM, formula guard) and Excel, with the list's filters."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import Meeting
from participants import exports
from participants.models import Registration
from tests.factories import OrganizationFactory
from tests.participants.test_registration_list import make_registration

pytestmark = pytest.mark.django_db

State = Registration.State

HEADER = [
    "No",
    "Name",
    "Position",
    "Organization",
    "Email",
    "Phone",
    "Attendance mode",
    "State",
    "Registration code",
    "Registered (WIT)",
]


def export_url(meeting, fmt, **params):
    url = reverse("participants:registrations_export", kwargs={"code": meeting.code, "fmt": fmt})
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


@pytest.fixture
def listed(meeting):
    """Three registrations at known moments, in a meeting held in WIT (UTC+9)."""
    Meeting.objects.filter(pk=meeting.pk).update(timezone="Asia/Jayapura")
    meeting.refresh_from_db()
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    rows = [
        make_registration(
            meeting,
            "Ni Luh Putu Ayu",
            position="Kepala Seksi",
            organization=kemnaker,
            phone="+6281234567001",
        ),
        make_registration(
            meeting,
            '=HYPERLINK("http://evil.example")',
            email="evil@example.test",
            position="@SUM(A1)",
            organization_name="-2+3 Dinas",
            state=State.WAITLISTED,
            mode=Registration.Mode.ONLINE,
        ),
        make_registration(meeting, "Yohanes Kogoya", state=State.CANCELLED, organization_name="Dinas Papua"),
    ]
    for hour, r in enumerate(rows):
        Registration.objects.filter(pk=r.pk).update(created_at=datetime(2031, 9, 1, hour, 5, tzinfo=UTC))
        r.refresh_from_db()
    return rows


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_csv_has_bom_exact_header_rows_and_formula_guard(client, english, organizer, listed):
    ani, evil, yohanes = listed
    client.force_login(organizer)
    response = client.get(export_url(listed[0].meeting, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="registrations-{ani.meeting.code}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        HEADER,
        [
            "1",
            "Ni Luh Putu Ayu",
            "Kepala Seksi",
            "Kementerian Ketenagakerjaan (Kemnaker)",
            "ni.luh.putu.ayu@example.test",
            "'+6281234567001",
            "On-site",
            "Confirmed",
            ani.code,
            "2031-09-01 09:05",
        ],
        [
            "2",
            '\'=HYPERLINK("http://evil.example")',
            "'@SUM(A1)",
            "'-2+3 Dinas",
            "evil@example.test",
            "",
            "Online",
            "Waiting list",
            evil.code,
            "2031-09-01 10:05",
        ],
        [
            "3",
            "Yohanes Kogoya",
            "",
            "Dinas Papua",
            "yohanes.kogoya@example.test",
            "",
            "On-site",
            "Cancelled",
            yohanes.code,
            "2031-09-01 11:05",
        ],
    ]


def test_csv_applies_the_lists_filters(client, english, organizer, listed):
    client.force_login(organizer)
    response = client.get(export_url(listed[0].meeting, "csv", state="cancelled"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows] == ["Name", "Yohanes Kogoya"]
    assert rows[1][0] == "1"


def test_csv_header_follows_the_active_language(client, organizer, listed):
    client.force_login(organizer)
    response = client.get(export_url(listed[0].meeting, "csv"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    from django.utils import translation

    with translation.override("id"):
        assert header == exports.header(listed[0].meeting)
    assert len(header) == 10


def test_xlsx_cells_sheet_name_and_widths(client, english, organizer, listed):
    ani, evil, yohanes = listed
    meeting = ani.meeting
    Meeting.objects.filter(pk=meeting.pk).update(title="FGD [Pengawasan] P3MI: Kemnaker/BP2MI? 2031*")
    client.force_login(organizer)
    response = client.get(export_url(meeting, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="registrations-{meeting.code}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.title == "FGD Pengawasan P3MI Kemnaker BP"
    assert len(sheet.title) == 31
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values == [
        HEADER,
        [
            1,
            "Ni Luh Putu Ayu",
            "Kepala Seksi",
            "Kementerian Ketenagakerjaan (Kemnaker)",
            "ni.luh.putu.ayu@example.test",
            "+6281234567001",
            "On-site",
            "Confirmed",
            ani.code,
            datetime(2031, 9, 1, 9, 5),  # noqa: DTZ001 - spreadsheet cells hold naive local times
        ],
        [
            2,
            '=HYPERLINK("http://evil.example")',
            "@SUM(A1)",
            "-2+3 Dinas",
            "evil@example.test",
            None,
            "Online",
            "Waiting list",
            evil.code,
            datetime(2031, 9, 1, 10, 5),  # noqa: DTZ001 - spreadsheet cells hold naive local times
        ],
        [
            3,
            "Yohanes Kogoya",
            None,
            "Dinas Papua",
            "yohanes.kogoya@example.test",
            None,
            "On-site",
            "Cancelled",
            yohanes.code,
            datetime(2031, 9, 1, 11, 5),  # noqa: DTZ001 - spreadsheet cells hold naive local times
        ],
    ]
    # Text stays text: the would-be formula is a string cell, not a formula.
    assert sheet["B3"].data_type == "s"
    assert sheet["A1"].font.bold is True
    assert sheet.column_dimensions["D"].width == len("Kementerian Ketenagakerjaan (Kemnaker)") + 2
    assert sheet.freeze_panes == "A2"


def test_xlsx_applies_filters(client, organizer, listed):
    client.force_login(organizer)
    response = client.get(export_url(listed[0].meeting, "xlsx", mode="online"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[8] for row in sheet.iter_rows(min_row=2, values_only=True)] == [listed[1].code]


def test_secretary_may_export(client, secretary, listed):
    client.force_login(secretary)
    response = client.get(export_url(listed[0].meeting, "csv"))
    assert response.status_code == 200
    assert "Ni Luh Putu Ayu" in response.content.decode("utf-8-sig")


def test_export_is_404_for_another_organizer(client, other_organizer, listed):
    client.force_login(other_organizer)
    for fmt in ("csv", "xlsx"):
        response = client.get(export_url(listed[0].meeting, fmt))
        assert response.status_code == 404
        assert b"Ni Luh Putu Ayu" not in response.content
        assert b"ni.luh.putu.ayu" not in response.content


def test_export_redirects_anonymous_to_login(client, listed):
    response = client.get(export_url(listed[0].meeting, "csv"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_export_unknown_format_is_404(client, organizer, listed):
    client.force_login(organizer)
    assert client.get(export_url(listed[0].meeting, "pdf")).status_code == 404


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("FGD Pengawasan P3MI", "FGD Pengawasan P3MI"),
        ("a/b\\c?d*e[f]g:h", "a b c d e f g h"),
        ("'Quoted'", "Quoted"),
        ("x" * 40, "x" * 31),
        ("[]:*?/\\", "Participants"),
    ],
)
def test_sheet_title_follows_excels_rules(title, expected):
    from django.utils import translation

    with translation.override("en"):
        assert exports.sheet_title(title) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62812", "'+62812"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Budi = Kemnaker", "Budi = Kemnaker"),
        ("", ""),
    ],
)
def test_formula_guard(value, expected):
    assert exports.guard(value) == expected


def test_csv_quotes_every_field_so_a_semicolon_stays_inside_its_cell(client, english, organizer, meeting):
    # Excel in an Indonesian locale splits on ";": an unquoted "Kementerian;=1+1" becomes two
    # cells, the second a formula.
    registration = make_registration(meeting, "Budi Santoso", organization_name="Kementerian;=1+1", phone="")
    client.force_login(organizer)
    response = client.get(export_url(meeting, "csv"))
    lines = response.content.decode("utf-8-sig").split("\r\n")
    created = registration.created_at.astimezone(meeting.tz).strftime("%Y-%m-%d %H:%M")
    assert lines[1] == (
        f'"1","Budi Santoso","","Kementerian;=1+1","budi.santoso@example.test","","On-site",'
        f'"Confirmed","{registration.code}","{created}"'
    )
    assert lines[0].startswith('"No","Name",')
    assert lines[2:] == [""]


def test_exports_drop_bidi_overrides_of_rows_stored_before_input_cleaning(
    client, english, organizer, meeting
):
    make_registration(
        meeting, "Budi\u202e Santoso", position="Staf\u200b", organization_name="\u2066Dinas\u2069"
    )
    client.force_login(organizer)
    csv_rows = list(
        csv.reader(io.StringIO(client.get(export_url(meeting, "csv")).content.decode("utf-8-sig")))
    )
    sheet = load_workbook(io.BytesIO(client.get(export_url(meeting, "xlsx")).content)).active
    xlsx_row = [c.value for c in sheet[2]][1:4]
    assert (csv_rows[1][1:4], xlsx_row) == (
        ["Budi Santoso", "Staf", "Dinas"],
        ["Budi Santoso", "Staf", "Dinas"],
    )
