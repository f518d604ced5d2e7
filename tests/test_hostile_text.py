"""Hostile text (script tags, CRLF, control and bidi characters, formula prefixes) is inert in
every output: HTML pages, email headers, .ics files, .docx documents, CSV and Excel exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.text import clean_name
from meetings import calendar as ics
from meetings.models import Meeting
from minutes.documents import activity_report, news_article, notula
from minutes.models import Minutes
from minutes.services import reports
from participants.exports import FORMULA_STARTS, guard
from participants.models import Registration
from participants.services import registration as reg
from policy.documents import build as build_brief
from policy.models import PolicyBriefVersion
from policy.services import briefs
from tests.factories import OrganizationFactory, UserFactory
from tests.fuzz_support import HOSTILE
from tests.policy.test_registry import make_meeting, make_minutes, make_rec

pytestmark = pytest.mark.django_db

# What can be stored: every form refuses NUL (core.forms.NulGuardMixin, fuzzed in
# test_fuzz_forms.py) and PostgreSQL cannot hold it, so the text written here directly has none.
STORED = [h.replace("\x00", "") for h in HOSTILE]
MARKUP = [h for h in HOSTILE if "<" in h]
# What must never reach a page unescaped.
RAW = ("<script>", "<img src=x", "onerror=alert(1)>")
# icalendar's and the project's calendar cleaning: CRLF and CR become LF, other controls go.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def ics_text(text: str) -> str:
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def assert_inert_html(html: str) -> None:
    for raw in RAW:
        assert raw not in html


def titled(meeting: Meeting, text: str) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(title=f"FGD {text}", theme=text)
    meeting.refresh_from_db()
    return meeting


def register(meeting, name: str, **extra) -> Registration:
    return reg.register(
        meeting,
        full_name=name,
        position=name,
        organization_name=f"Dinas {name}",
        email="budi@example.test",
        mode="onsite",
        consent=True,
        **extra,
    ).registration


@pytest.fixture
def analyst(db):
    return UserFactory(email="analis@example.test", full_name="Analis Kebijakan", is_policy_analyst=True)


def policy_world(organizer, analyst, text: str):
    kemnaker = OrganizationFactory(name="Kementerian Ketenagakerjaan", acronym="Kemnaker")
    meeting = make_meeting(organizer, date(2021, 9, 20), f"FGD {text}")
    minutes = make_minutes(meeting)
    rec = make_rec(minutes, f"Rekomendasi {text}", rationale=text, addressed_to=[kemnaker])
    return meeting, minutes, rec


# HTML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", MARKUP)
def test_public_meeting_page_escapes_title_and_theme(client, published_meeting, text):
    titled(published_meeting, text)
    html = client.get(reverse("meetings:public", kwargs={"code": published_meeting.code})).content.decode()
    assert_inert_html(html)
    assert escape(text) in html


@pytest.mark.parametrize("text", MARKUP)
def test_registration_list_escapes_names_and_organizations(client, organizer, published_meeting, text):
    register(published_meeting, f"Budi {text}")
    client.force_login(organizer)
    url = reverse("participants:registrations", kwargs={"code": published_meeting.code})
    html = client.get(url).content.decode()
    assert_inert_html(html)
    assert escape(clean_name(f"Budi {text}")) in html


@pytest.mark.parametrize("text", MARKUP)
def test_registry_recommendation_follow_up_and_brief_pages_escape_text(client, organizer, analyst, text):
    meeting, minutes, rec = policy_world(organizer, analyst, text)
    brief = briefs.create_brief(analyst, f"Masukan {text}", "id", [str(rec.key)])
    client.force_login(analyst)
    for url in (
        reverse("policy:registry"),
        reverse("policy:recommendation", kwargs={"key": rec.key}),
        reverse("policy:briefs"),
        reverse("policy:brief", args=[brief.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert_html(response.content.decode())


@pytest.mark.parametrize("text", MARKUP)
def test_follow_up_note_posted_is_escaped_on_the_page(client, organizer, analyst, text):
    _meeting, _minutes, rec = policy_world(organizer, analyst, text)
    client.force_login(organizer)
    url = reverse("policy:recommendation", kwargs={"key": rec.key})
    data = {
        "state": "accepted",
        "note": f"Catatan {text}",
        "happened_on": timezone.localdate().isoformat(),
        "evidence_url": "",
    }
    assert client.post(url, data).status_code in (200, 302)
    html = client.get(url).content.decode()
    assert_inert_html(html)
    assert escape(f"Catatan {text}") in html


# Email headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", STORED)
def test_emails_carry_no_line_breaks_or_injected_headers(
    client, published_meeting, organizer, run_tasks, mailoutbox, text
):
    titled(published_meeting, text)
    url = reverse("participants:register", kwargs={"code": published_meeting.code})
    text = text.replace("\x00", "")  # the form refuses NUL next to the field (tests/accounts)
    data = {
        "full_name": f"Budi {text}",
        "position": text,
        "organization_name": f"Dinas {text}",
        "email": "budi@example.test",
        "phone": "0812-3456-7890",
        "mode": "onsite",
        "consent": "on",
        "website": "",
    }
    assert client.post(url, data).status_code == 302
    run_tasks()
    assert len(mailoutbox) >= 1
    for message in mailoutbox:
        assert "\r" not in message.subject
        assert "\n" not in message.subject
        assert all("\r" not in str(v) and "\n" not in str(v) for v in message.extra_headers.values())
        mime = message.message()
        # "Bcc: victim" may stay as words of the subject, on its one line; never as a header.
        assert mime.get_all("Bcc") is None
        assert message.recipients() == ["budi@example.test"]
        assert all("\n" not in str(value) for value in mime.values() if not str(value).startswith("=?"))


@pytest.mark.parametrize("text", STORED)
def test_invitation_email_to_a_focal_point_carries_no_injected_headers(
    published_meeting, organizer, run_tasks, mailoutbox, text
):
    from participants.services import invitations as inv

    titled(published_meeting, text)
    inv.invite(
        published_meeting,
        actor=organizer,
        organization=OrganizationFactory(name=f"Dinas {text}"),
        quota=2,
        focal_point_email="focal@example.go.id",
        focal_point_name=f"Budi {text}",
    )
    run_tasks()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "\r" not in message.subject
    assert "\n" not in message.subject
    mime = message.message()
    assert mime.get_all("Bcc") is None
    assert message.recipients() == ["focal@example.go.id"]


# Calendar files ---------------------------------------------------------------------------------


def events(raw: bytes):
    calendar = Calendar.from_ical(raw)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def property_names(raw: bytes) -> list[list[str]]:
    return [sorted(event.keys()) for event in events(raw)]


@pytest.mark.parametrize("text", STORED)
def test_meeting_ics_keeps_text_in_its_property(client, published_meeting, text):
    url = reverse("meetings:calendar", kwargs={"code": published_meeting.code})
    plain = client.get(url).content
    titled(published_meeting, text)
    hostile = client.get(url).content
    assert property_names(hostile) == property_names(plain)
    assert b"\nBCC" not in hostile.upper()
    for event in events(hostile):
        assert str(event["SUMMARY"]) == ics_text(f"FGD {text}")
        assert ics_text(text).strip() in str(event["DESCRIPTION"])
    assert ics.clean(f"FGD {text}") == ics_text(f"FGD {text}")


@pytest.mark.parametrize("text", STORED)
def test_invitation_attachment_ics_keeps_text_in_its_property(
    client, published_meeting, run_tasks, mailoutbox, text
):
    titled(published_meeting, text)
    register(published_meeting, f"Budi {text}")
    run_tasks()
    attachments = [
        a
        for m in mailoutbox
        for a in m.attachments
        if "calendar" in (a[2] if isinstance(a, tuple) else a.mimetype)
    ]
    alternatives = [
        content
        for m in mailoutbox
        for content, mimetype in getattr(m, "alternatives", [])
        if "calendar" in mimetype
    ]
    found = [a[1] if isinstance(a, tuple) else a.content for a in attachments] + alternatives
    assert found, "the confirmation carries a calendar file"
    for raw in found:
        raw = raw.encode() if isinstance(raw, str) else raw
        assert b"\nBCC" not in raw.upper()
        for event in events(raw):
            assert str(event["SUMMARY"]) == ics_text(f"FGD {text}")
            assert "BCC" not in event


# Word documents ---------------------------------------------------------------------------------


def docx_text(raw: bytes) -> str:
    doc = Document(io.BytesIO(raw))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


XML_SAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.mark.parametrize("text", STORED)
def test_notula_docx_holds_the_text_literally(organizer, text):
    meeting = make_meeting(organizer, date(2021, 9, 20), f"FGD {text}")
    Meeting.objects.filter(pk=meeting.pk).update(theme=text)
    minutes = make_minutes(meeting, Minutes.State.APPROVED)
    make_rec(minutes, f"Rekomendasi {text}")
    raw = notula.render(minutes, with_attendance=False)
    body = docx_text(raw)
    visible = XML_SAFE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    for line in visible.split("\n"):
        assert line.strip("\t") in body
    doc = Document(io.BytesIO(raw))
    assert not doc.inline_shapes  # no image came from "<img ...>"


@pytest.mark.parametrize("text", STORED)
def test_policy_brief_docx_holds_the_text_literally(organizer, analyst, text):
    _meeting, _minutes, rec = policy_world(organizer, analyst, text)
    brief = briefs.create_brief(analyst, f"Masukan {text}", "id", [str(rec.key)])
    version = PolicyBriefVersion.objects.filter(brief=brief).order_by("-number").first()
    raw = build_brief(brief, version, [rec], "id")
    body = docx_text(raw)
    visible = XML_SAFE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    for line in visible.split("\n"):
        assert line.strip("\t").strip() in body
    assert not Document(io.BytesIO(raw)).inline_shapes


@pytest.mark.parametrize("text", STORED)
def test_activity_report_and_news_article_hold_the_text_literally(organizer, text):
    meeting = make_meeting(organizer, date(2021, 9, 20), f"FGD {text}")
    Meeting.objects.filter(pk=meeting.pk).update(theme=text, background=text)
    make_rec(make_minutes(meeting, Minutes.State.APPROVED), f"Rekomendasi {text}")
    meeting.refresh_from_db()
    visible = XML_SAFE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    raw = activity_report.render(reports.report_for(meeting))
    body = docx_text(raw)
    for line in visible.split("\n"):
        assert line.strip("\t") in body
    assert not Document(io.BytesIO(raw)).inline_shapes
    article = reports.article_for(meeting)
    raw = news_article.render(article)
    assert not Document(io.BytesIO(raw)).inline_shapes
    assert Document(io.BytesIO(raw)).paragraphs[0].text == article.headline
    html = news_article.html(article)
    assert_inert_html(html)
    assert set(re.findall(r"</?([a-z0-9]+)[ >]", html)) <= {"h1", "p", "strong", "blockquote"}


# Spreadsheets ---------------------------------------------------------------------------------


def assert_guarded(cells) -> None:
    for value in cells:
        if isinstance(value, str) and value:
            assert not value.startswith(FORMULA_STARTS), value


@pytest.mark.parametrize("text", STORED)
def test_registration_exports_neutralise_formulas(client, organizer, published_meeting, text):
    registration = register(published_meeting, text if text.strip() else "Budi")
    client.force_login(organizer)
    base = {"code": published_meeting.code}
    raw = client.get(reverse("participants:registrations_export", kwargs=base | {"fmt": "csv"})).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    row = rows[1]
    assert row[1] == guard(clean_name(registration.full_name))
    assert row[3] == guard(clean_name(registration.organization_name))
    assert_guarded(c[1:] if c.startswith("'") else c for c in row if not c.startswith("'"))

    raw = client.get(reverse("participants:registrations_export", kwargs=base | {"fmt": "xlsx"})).content
    sheet = load_workbook(io.BytesIO(raw)).active
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    # Excel cells are typed: text is stored as a string cell, never a formula.
    assert [c.data_type for c in cells if isinstance(c.value, str)] == ["s"] * sum(
        isinstance(c.value, str) for c in cells
    )
    assert cells[1].value == clean_name(registration.full_name)
    assert cells[3].value == clean_name(registration.organization_name)


@pytest.mark.parametrize("text", STORED)
def test_registry_exports_neutralise_formulas(client, organizer, analyst, text):
    meeting, _minutes, _rec = policy_world(organizer, analyst, "x")
    Meeting.objects.filter(pk=meeting.pk).update(title=text)
    client.force_login(analyst)
    response = client.get(reverse("policy:registry"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == guard(text)

    response = client.get(reverse("policy:registry"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    # Text stays text; only the characters an Excel file cannot hold are left out.
    assert (cell.value, cell.data_type) == (ILLEGAL_CHARACTERS_RE.sub("", text), "s")


def test_the_meeting_form_accepts_the_control_characters_the_xlsx_export_cannot_hold(client, organizer):
    """The route to the 500 above: a title typed with BEL and ESC is saved as typed."""
    from tests.meetings.test_views_meeting import create_data

    client.force_login(organizer)
    response = client.post(reverse("meetings:create"), create_data(title="FGD \x07\x1b[31m"))
    assert response.status_code == 302
    assert list(Meeting.objects.values_list("title", flat=True)) == ["FGD \x07\x1b[31m"]
