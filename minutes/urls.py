"""Every URL of the minutes app (included at the site root by config/urls.py)."""

from django.urls import path

app_name = "minutes"

urlpatterns: list = []

# The editor and its history (editing) -----------------------------------------------------
urlpatterns += []

# Approval and publication (workflow) -------------------------------------------------------
urlpatterns += []

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
