"""Every URL of the minutes app (included at the site root by config/urls.py)."""

from django.urls import path

app_name = "minutes"

urlpatterns: list = []

# The editor and its history (editing) -----------------------------------------------------
from .views import editor, history  # noqa: E402

_m = "meetings/<str:code>/minutes/"
urlpatterns += [
    path(_m, editor.EditorView.as_view(), name="editor"),
    path(f"{_m}prepare/", editor.PrepareView.as_view(), name="prepare"),
    path(f"{_m}heading/", editor.HeadingView.as_view(), name="heading"),
    path(f"{_m}sections/<int:pk>/", editor.SectionView.as_view(), name="section"),
    path(f"{_m}sections/<int:pk>/points/", editor.PointAddView.as_view(), name="point_add"),
    path(f"{_m}points/<int:pk>/", editor.PointView.as_view(), name="point"),
    path(f"{_m}recommendations/", editor.RecommendationAddView.as_view(), name="recommendation_add"),
    path(f"{_m}recommendations/<int:pk>/", editor.RecommendationView.as_view(), name="recommendation"),
    path(f"{_m}actions/", editor.ActionAddView.as_view(), name="action_add"),
    path(f"{_m}actions/<int:pk>/", editor.ActionView.as_view(), name="action"),
    path(f"{_m}history/", history.HistoryView.as_view(), name="history"),
]

# Approval and publication (workflow) -------------------------------------------------------
from .views import workflow  # noqa: E402

urlpatterns += [
    path(f"{_m}v<int:version>/workflow/", workflow.WorkflowView.as_view(), name="workflow"),
    path("m/<str:code>/notula/", workflow.public_read, name="public_read"),
    path("r/<str:code>/<str:token>/notula/", workflow.participant_read, name="participant_read"),
]

# Word documents ---------------------------------------------------------------------------
from .views import documents  # noqa: E402

urlpatterns += [
    path("meetings/<str:code>/minutes/documents/", documents.DocumentsView.as_view(), name="documents"),
    path("meetings/<str:code>/minutes/notula.docx", documents.NotulaView.as_view(), name="notula"),
    path(
        "meetings/<str:code>/days/<int:day_id>/daftar-hadir.docx",
        documents.DaftarHadirView.as_view(),
        name="daftar_hadir",
    ),
    path("m/<str:code>/notula.docx", documents.public_notula, name="public_notula"),
    path("r/<str:code>/<str:token>/notula.docx", documents.participant_notula, name="participant_notula"),
]

# Transcripts ------------------------------------------------------------------------------
from .views import transcripts as transcript_views  # noqa: E402 (one import per block)

urlpatterns += [
    path(
        "meetings/<str:code>/minutes/transcripts/",
        transcript_views.TranscriptsView.as_view(),
        name="transcripts",
    ),
    path(
        "meetings/<str:code>/minutes/transcripts/zoom/<int:pk>/import/",
        transcript_views.ZoomTranscriptImportView.as_view(),
        name="zoom_transcript_import",
    ),
    path(
        "meetings/<str:code>/minutes/transcripts/<int:pk>/",
        transcript_views.TranscriptReviewView.as_view(),
        name="transcript_review",
    ),
    path(
        "meetings/<str:code>/minutes/transcripts/<int:pk>/drafts/<int:draft_id>/edit/",
        transcript_views.DraftEditView.as_view(),
        name="draft_edit",
    ),
]

# Certificates of attendance ---------------------------------------------------------------
from .views import certificates as certificate_views  # noqa: E402 (one import per block)

_c = "meetings/<str:code>/certificates/"
urlpatterns += [
    path(_c, certificate_views.CertificatesView.as_view(), name="certificates"),
    path(f"{_c}settings/", certificate_views.SettingsView.as_view(), name="certificate_settings"),
    path(f"{_c}template/", certificate_views.TemplateUploadView.as_view(), name="certificate_template"),
    path(f"{_c}issue/", certificate_views.IssueView.as_view(), name="certificate_issue"),
    path(f"{_c}send/", certificate_views.SendView.as_view(), name="certificate_send"),
    path(f"{_c}<int:pk>/revoke/", certificate_views.RevokeView.as_view(), name="certificate_revoke"),
    path(f"{_c}<int:pk>.docx", certificate_views.DownloadView.as_view(), name="certificate_download"),
    path(
        "r/<str:code>/<str:token>/certificate.docx",
        certificate_views.participant_certificate,
        name="participant_certificate",
    ),
]

# Invitation letters (Surat Undangan) ------------------------------------------------------
from .views import letters as letter_views  # noqa: E402 (one import per block)

_l = "meetings/<str:code>/letters/"
urlpatterns += [
    path(_l, letter_views.LettersView.as_view(), name="letters"),
    path(f"{_l}numbering/", letter_views.NumberingView.as_view(), name="letter_numbering"),
    path(f"{_l}<int:pk>/", letter_views.LetterView.as_view(), name="letter"),
    path(f"{_l}<int:pk>/send/", letter_views.LetterSendView.as_view(), name="letter_send"),
    path(f"{_l}<int:pk>/delete/", letter_views.LetterDeleteView.as_view(), name="letter_delete"),
    path(f"{_l}<int:pk>.docx", letter_views.LetterDocxView.as_view(), name="letter_docx"),
]

# The activity report (Laporan Kegiatan) and the news article ------------------------------
from .views import reports as report_views  # noqa: E402 (one import per block)

_r = "meetings/<str:code>/report/"
urlpatterns += [
    path(_r, report_views.ReportView.as_view(), name="activity_report"),
    path(f"{_r}sections/<str:key>/", report_views.ReportSectionView.as_view(), name="report_section"),
    path(f"{_r}laporan-kegiatan.docx", report_views.ReportDocxView.as_view(), name="report_docx"),
    path(f"{_r}news/", report_views.NewsView.as_view(), name="news_article"),
    path(f"{_r}news/fields/<str:field>/", report_views.NewsFieldView.as_view(), name="news_field"),
    path(f"{_r}news/redraft/", report_views.NewsRedraftView.as_view(), name="news_redraft"),
    path(f"{_r}news/berita.docx", report_views.NewsExportView.as_view(), name="news_docx"),
    path(
        f"{_r}news/berita.html",
        report_views.NewsExportView.as_view(extension="html"),
        name="news_html",
    ),
]
