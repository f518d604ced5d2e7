"""The news article's pages: drafted from approved minutes only, edited a field at a time by the
meeting's staff, exported as .docx and as clean HTML (h1, p, blockquote; escaped), refused to
everybody else (404)."""

import io
import re

import docx
import pytest
from django.urls import reverse

from core.models import AuditEntry
from minutes.documents import news_article
from minutes.models import NewsArticle, Point
from minutes.services import reports
from tests.conftest import login
from tests.factories import MeetingFactory, MeetingHostFactory, UserFactory
from tests.minutes.documents.conftest import agencies, approve, minutes  # noqa: F401 (fixtures)

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & </w:t>'


def _url(meeting, name="minutes:news_article", **kwargs):
    return reverse(name, kwargs={"code": meeting.code, **kwargs})


@pytest.fixture
def approved(minutes, agencies):  # noqa: F811 (the fixtures imported above)
    MeetingHostFactory(meeting=minutes.meeting, organization=agencies["kemnaker"], role="co_host")
    point = Point.objects.filter(section__minutes=minutes, person__isnull=False).get()
    Point.objects.filter(pk=point.pk).update(quotable=True)
    approve(minutes)
    return minutes


def test_news_draft_quotes_the_quotable_point_of_approved_minutes(approved, agencies):  # noqa: F811
    article = reports.draft_news_article(approved.meeting)
    assert article["headline"] == "BP2MI dan Kemnaker Gelar FGD Pengawasan P3MI"
    assert article["dateline"] == "JAKARTA –"
    assert article["lead"].startswith(
        "Badan Pelindungan Pekerja Migran Indonesia (BP2MI) melalui Direktorat Pelindungan dan "
        f"Pemberdayaan Kawasan Asia dan Afrika ({agencies['ditpp'].acronym}) bersama Kementerian "
        "Ketenagakerjaan (Kemnaker) "
        "menyelenggarakan FGD Pengawasan P3MI pada "
    )
    quotes = [p for p in article["body"].split("\n\n") if p.startswith("“")]
    assert quotes == [
        "“Perlu tim terpadu dan rujukan yang jelas: pengaduan di UPT rujukan ke Kemlu 1. pertama "
        "2. kedua,” kata Rendra Setiawan, Direktur Bina Penempatan."
    ]


def test_news_of_unapproved_minutes_is_refused(client, minutes, secretary):  # noqa: F811
    with pytest.raises(reports.NoApprovedMinutes):
        reports.draft_news_article(minutes.meeting)
    login(client, secretary)
    page = client.get(_url(minutes.meeting)).content.decode()
    assert "Notula rapat ini belum disetujui" in page
    assert client.post(_url(minutes.meeting, "minutes:news_field", field="headline"), {}).status_code == 404
    assert not NewsArticle.objects.exists()


def test_news_pages_denied_to_other_meetings_staff_analyst_and_strangers(
    client, approved, organizer, plain_user
):
    reports.save_news_article(approved.meeting, organizer, headline="Judul rahasia yang belum terbit")
    other_organizer = UserFactory(email="other-org@example.test", can_organize=True)
    MeetingFactory(organizers=[other_organizer])
    analyst = UserFactory(email="analyst@example.test", is_policy_analyst=True)
    urls = [
        _url(approved.meeting, n) for n in ("minutes:news_article", "minutes:news_docx", "minutes:news_html")
    ]
    for user in (other_organizer, analyst, plain_user):
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"rahasia" not in response.content
        assert client.post(_url(approved.meeting, "minutes:news_redraft")).status_code == 404
    client.logout()
    assert [client.get(url).status_code for url in urls] == [302, 302, 302]
    assert NewsArticle.objects.get().headline == "Judul rahasia yang belum terbit"


def test_organizer_edits_each_field_and_redrafts(client, approved, organizer):
    login(client, organizer)
    response = client.post(
        _url(approved.meeting, "minutes:news_field", field="headline"), {"headline-value": "Judul Baru"}
    )
    assert response.status_code == 302
    article = NewsArticle.objects.get(meeting=approved.meeting)
    assert article.headline == "Judul Baru"
    assert article.lead == reports.draft_news_article(approved.meeting)["lead"]
    assert AuditEntry.objects.filter(action="minutes.news_saved").get().data == {"fields": "headline"}
    response = client.post(
        _url(approved.meeting, "minutes:news_field", field="headline"), {"headline-value": ""}
    )
    assert response.status_code == 422
    article.refresh_from_db()
    assert article.headline == "Judul Baru"
    client.post(_url(approved.meeting, "minutes:news_redraft"))
    article = NewsArticle.objects.get(meeting=approved.meeting)
    assert article.headline == "BP2MI dan Kemnaker Gelar FGD Pengawasan P3MI"


def test_hostile_text_is_inert_in_the_html_copy_the_page_and_the_docx(client, approved, secretary):
    login(client, secretary)
    client.post(
        _url(approved.meeting, "minutes:news_field", field="body"), {"body-value": f"Awal.\n\n{HOSTILE}"}
    )
    client.post(_url(approved.meeting, "minutes:news_field", field="headline"), {"headline-value": HOSTILE})
    response = client.get(_url(approved.meeting, "minutes:news_html"))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="berita-fgd-pengawasan-p3mi.html"'
    html = response.content.decode()
    assert set(re.findall(r"</?([a-z0-9]+)", html)) == {"h1", "p", "strong"}
    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html
    page = client.get(_url(approved.meeting)).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    doc = docx.Document(io.BytesIO(client.get(_url(approved.meeting, "minutes:news_docx")).content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == HOSTILE
    assert HOSTILE in texts


def test_html_copy_makes_quotations_blockquotes(approved):
    article = reports.article_for(approved.meeting)
    html = news_article.html(article)
    assert html.startswith(
        "<h1>BP2MI dan Kemnaker Gelar FGD Pengawasan P3MI</h1>\n<p><strong>JAKARTA –</strong> "
    )
    assert "<blockquote><p>“Perlu tim terpadu" in html
