"""Every URL of the minutes app (included at the site root by config/urls.py)."""

from django.urls import path

app_name = "minutes"

urlpatterns: list = []

# The editor, history, approval and publication -------------------------------------------
urlpatterns += []

# Word documents ---------------------------------------------------------------------------
urlpatterns += []

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
