"""The 2021 FGD's news article and activity report, drafted from the seeded demo: the organizers,
the theme, both days, the speakers with their positions, the 7.848 figure of a quotable point;
nothing of a draft version of the minutes."""

import pytest

from accounts.models import User
from config import demo_reports
from config.management.commands.seed_demo import FGD_THEME, FGD_TITLE
from core.models import AuditEntry
from meetings.models import Meeting
from minutes.models import ActivityReport, Minutes, NewsArticle, Point
from minutes.services import reports, workflow
from minutes.services.points import add_point

DRAFT_SENTENCE = "Kalimat rahasia dari versi draf yang belum disetujui."


@pytest.fixture
def fgd(seeded_demo, db):
    return Meeting.objects.get(title=FGD_TITLE)


def _correction_with_draft_text(meeting):
    """A correction opened on the approved minutes, with a distinctive sentence in a quotable point."""
    organizer = User.objects.get(email="penyelenggara@sinergi.test")
    approved = Minutes.objects.get(meeting=meeting, state=Minutes.State.APPROVED)
    draft = workflow.correct(approved, by=organizer, reason="Koreksi ejaan")
    section = draft.sections.filter(kind="item").order_by("order").first()
    add_point(section, author=organizer, text=DRAFT_SENTENCE, speaker_name="Penyusup", quotable=True)
    return draft


def test_news_draft_of_the_2021_fgd_names_organizers_theme_days_speakers_and_quoted_figure(fgd):
    _correction_with_draft_text(fgd)
    article = reports.draft_news_article(fgd)
    text = "\n".join(article.values())
    assert "Badan Pelindungan Pekerja Migran Indonesia (BP2MI)" in article["lead"]
    assert "Kementerian Ketenagakerjaan" in article["lead"]
    assert article["headline"].startswith("BP2MI dan Kemnaker")
    assert FGD_THEME in article["lead"]
    assert "20 September 2021" in article["lead"]
    assert "21 September 2021" in article["lead"]
    assert (
        "Rendra Setiawan (Direktur Bina Penempatan dan Pelindungan PMI, Kementerian Ketenagakerjaan)"
        in article["body"]
    )
    assert "F.X. Watratan (Koordinator Pengawasan Norma Pelatihan" in article["body"]
    assert "7.848 pengaduan" in article["body"]
    (figure,) = [p for p in article["body"].split("\n\n") if "7.848" in p]
    assert figure.startswith("“Sepanjang tahun 2019 sampai semester I tahun 2021 Crisis Center BP2MI")
    assert figure.endswith("mediasi,” kata Lismia Elita, Direktur PP Kawasan Asia dan Afrika.")
    assert article["dateline"] == "JAKARTA –"
    assert DRAFT_SENTENCE not in text
    assert "Penyusup" not in text


def test_news_draft_quotes_only_points_marked_quotable(fgd):
    minutes = reports.approved_minutes(fgd)
    unmarked = Point.objects.filter(section__minutes=minutes, quotable=False).first()
    body = reports.draft_news_article(fgd)["body"]
    quotes = [p for p in body.split("\n\n") if p.startswith("“")]
    assert len(quotes) == Point.objects.filter(section__minutes=minutes, quotable=True).count() == 3
    assert unmarked.text[:40] not in body


def test_correction_keeps_the_quotable_marks(fgd):
    draft = _correction_with_draft_text(fgd)
    marked = list(
        Point.objects.filter(section__minutes=draft, quotable=True)
        .exclude(speaker_name="Penyusup")
        .values_list("text", flat=True)
    )
    assert len(marked) == 3
    assert any("7.848" in text for text in marked)


def test_demo_has_the_fgd_report_and_article_and_seeding_again_changes_nothing(fgd):
    report = ActivityReport.objects.get(meeting=fgd)
    assert list(report.sections) == ["penutup"]
    assert NewsArticle.objects.get(meeting=fgd).headline == demo_reports.HEADLINE
    before = (AuditEntry.objects.count(), ActivityReport.objects.count(), NewsArticle.objects.count())
    organizer = User.objects.get(email="penyelenggara@sinergi.test")
    demo_reports.fgd_reports(FGD_TITLE, organizer=organizer, secretary=organizer)
    assert (AuditEntry.objects.count(), ActivityReport.objects.count(), NewsArticle.objects.count()) == before
