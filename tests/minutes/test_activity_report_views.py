"""The activity report's pages: who reaches them (the meeting's organizers and secretaries only),
editing a section and resetting it, refused input, the need for approved minutes, hostile text
inert in the page and the .docx; and the quotable mark of a point in the minutes editor."""

import io

import docx
import pytest
from django.urls import reverse

from core.models import AuditEntry
from minutes.models import ActivityReport, Point
from minutes.services import reports
from tests.conftest import login
from tests.factories import MeetingFactory, UserFactory
from tests.minutes.documents.conftest import agencies, approve, minutes  # noqa: F401 (fixtures)

HOSTILE = '<script>alert("x")</script></w:t><w:p>&amp; ]]>'


def _url(meeting, name="minutes:activity_report", **kwargs):
    return reverse(name, kwargs={"code": meeting.code, **kwargs})


@pytest.fixture
def approved(minutes):  # noqa: F811 (the fixture imported above)
    approve(minutes)
    return minutes


@pytest.fixture
def saved(approved, organizer):
    """A report with a distinctive edited section, so a denied page could leak it."""
    report = reports.save_section(
        reports.report_for(approved.meeting), "hasil", "Rahasia hasil rapat tertutup.", organizer
    )
    return report


def test_report_page_denied_to_other_meetings_staff_analyst_and_strangers(client, saved, plain_user):
    meeting = saved.meeting
    other_secretary = UserFactory(email="other-secretary@example.test")
    MeetingFactory(secretaries=[other_secretary])
    analyst = UserFactory(email="analyst@example.test", is_policy_analyst=True)
    urls = [_url(meeting), _url(meeting, "minutes:report_docx")]
    for user in (other_secretary, analyst, plain_user):
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"Rahasia hasil" not in response.content
        response = client.post(_url(meeting, "minutes:report_section", key="hasil"), {"hasil-text": "x"})
        assert response.status_code == 404
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    assert ActivityReport.objects.get(meeting=meeting).sections == {"hasil": "Rahasia hasil rapat tertutup."}


def test_report_page_shows_every_section_to_the_secretary(client, saved, secretary):
    response = login(client, secretary).get(_url(saved.meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rahasia hasil rapat tertutup." in page
    keys = [key for key in ActivityReport.SECTION_KEYS if f'id="section-{key}"' in page]
    assert keys == list(ActivityReport.SECTION_KEYS)


def test_secretary_saves_and_resets_a_section(client, approved, secretary):
    login(client, secretary)
    url = _url(approved.meeting, "minutes:report_section", key="penutup")
    response = client.post(url, {"penutup-text": "Demikian laporan ini."})
    assert response.status_code == 302
    report = ActivityReport.objects.get(meeting=approved.meeting)
    assert report.sections == {"penutup": "Demikian laporan ini."}
    assert report.updated_by == secretary
    entry = AuditEntry.objects.filter(action="minutes.report_section_saved").get()
    assert entry.data == {"section": "penutup", "reset": False}
    client.post(url, {"penutup-text": "ignored", "reset": "1"})
    report.refresh_from_db()
    assert report.sections == {}


def test_section_with_a_nul_character_is_refused_next_to_the_field(client, approved, secretary):
    login(client, secretary)
    response = client.post(
        _url(approved.meeting, "minutes:report_section", key="penutup"), {"penutup-text": "a\x00b"}
    )
    assert response.status_code == 422
    assert "Hapus karakter NUL" in response.content.decode()
    assert not ActivityReport.objects.filter(meeting=approved.meeting).exists()


def test_report_without_approved_minutes_says_why(client, minutes, secretary):  # noqa: F811
    login(client, secretary)
    response = client.get(_url(minutes.meeting))
    assert response.status_code == 200
    assert "Notula rapat ini belum disetujui" in response.content.decode()
    response = client.get(_url(minutes.meeting, "minutes:report_docx"), follow=True)
    assert response.redirect_chain[-1][0] == _url(minutes.meeting)
    assert "Notula rapat ini belum disetujui" in response.content.decode()


def test_hostile_text_is_inert_in_the_page_and_the_docx(client, approved, secretary):
    login(client, secretary)
    client.post(_url(approved.meeting, "minutes:report_section", key="hasil"), {"hasil-text": HOSTILE})
    page = client.get(_url(approved.meeting)).content.decode()
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    response = client.get(_url(approved.meeting, "minutes:report_docx") + "?lang=en")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="activity-report-fgd-pengawasan-p3mi-en.docx"'
    )
    doc = docx.Document(io.BytesIO(response.content))
    assert HOSTILE in [p.text for p in doc.paragraphs]


def test_documents_page_links_the_report_and_the_article(client, approved, secretary):
    page = login(client, secretary).get(approved.meeting.urls.documents).content.decode()
    assert f'href="{_url(approved.meeting)}"' in page
    assert f'href="{_url(approved.meeting, "minutes:news_article")}"' in page


def test_secretary_marks_a_point_quotable_in_the_editor(client, minutes, secretary):  # noqa: F811
    point = Point.objects.filter(section__minutes=minutes).order_by("id").first()
    login(client, secretary)
    url = reverse("minutes:point", kwargs={"code": minutes.meeting.code, "pk": point.pk})
    fields = {"base": point.revision, "speaker": point.speaker_name, "text": point.text}
    client.post(url, {**fields, "quotable_shown": "1", "quotable": "1"})
    point.refresh_from_db()
    assert point.quotable is True
    client.post(url, {**fields, "base": point.revision, "text": point.text + " Lagi."})
    point.refresh_from_db()
    assert point.quotable is True  # a form without the box leaves the mark alone
    client.post(url, {**fields, "base": point.revision, "quotable_shown": "1"})
    point.refresh_from_db()
    assert point.quotable is False
    page = client.get(minutes.meeting.urls.minutes).content.decode()
    assert f'id="p-quotable-{point.pk}"' in page
