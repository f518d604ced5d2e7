"""Every URL of the minutes app (included at the site root by config/urls.py)."""

from django.urls import path  # noqa: F401 (the blocks below add paths)

app_name = "minutes"

urlpatterns: list = []

# The editor, history, approval and publication -------------------------------------------
urlpatterns += []

# Word documents ---------------------------------------------------------------------------
urlpatterns += []

# Transcripts ------------------------------------------------------------------------------
urlpatterns += []
