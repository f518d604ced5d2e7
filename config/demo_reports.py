"""Demo data: the 2021 FGD's activity report (drafted from its approved minutes, the closing
section edited by the secretary) and its news article (drafted, the headline edited to the one
the agency published). Idempotent; works whether or not the demo has documentation photos."""

from __future__ import annotations

from meetings.models import Meeting
from minutes.models import ActivityReport, NewsArticle
from minutes.services import reports

CLOSING = (
    "Demikian laporan pelaksanaan Focus Group Discussion Pengawasan P3MI ini disampaikan kepada "
    "Deputi Penempatan dan Pelindungan Kawasan Asia dan Afrika sebagai bahan informasi dan "
    "tindak lanjut, terutama pembentukan **Tim Pengawasan P3MI**."
)
# The headline of the article the agency published (../shared/reference/seed-fgd-2021.txt).
HEADLINE = "Optimalkan Kolaborasi, BP2MI Bergerak Bersama Kemenaker RI"


def fgd_reports(meeting_title: str, *, organizer, secretary) -> None:
    meeting = Meeting.objects.filter(title=meeting_title).first()
    if meeting is None or reports.approved_minutes(meeting) is None:
        return
    report = ActivityReport.objects.filter(meeting=meeting).first()
    if report is None or "penutup" not in report.sections:
        reports.save_section(reports.report_for(meeting), "penutup", CLOSING, secretary)
    if not NewsArticle.objects.filter(meeting=meeting).exists():
        reports.save_news_article(meeting, organizer, headline=HEADLINE)
