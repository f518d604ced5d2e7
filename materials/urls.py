"""Every URL of the materials app: the speakers' materials and the documentation photos."""

from django.urls import path

app_name = "materials"

# Speakers' materials and their upload links (materials/views/materials.py, speaker.py,
# downloads.py).
from .views import downloads, speaker  # noqa: E402
from .views import materials as staff  # noqa: E402

_m = "meetings/<str:code>/materials/"
material_patterns: list = [
    path(_m, staff.MaterialsView.as_view(), name="materials"),
    path(f"{_m}add/", staff.AddView.as_view(), name="material_add"),
    path(f"{_m}<int:pk>/", staff.EditView.as_view(), name="material_edit"),
    path(f"{_m}<int:pk>/delete/", staff.DeleteView.as_view(), name="material_delete"),
    path(f"{_m}<int:pk>/download/", staff.DownloadView.as_view(), name="material_download"),
    path(f"{_m}links/", staff.UploadLinkCreateView.as_view(), name="upload_link_create"),
    path(f"{_m}links/<int:pk>/revoke/", staff.UploadLinkRevokeView.as_view(), name="upload_link_revoke"),
    path("u/<int:pk>/<str:token>/", speaker.SpeakerUploadView.as_view(), name="speaker_upload"),
    path(
        "u/<int:pk>/<str:token>/<int:material>/",
        speaker.SpeakerDownloadView.as_view(),
        name="speaker_download",
    ),
    path(
        "u/<int:pk>/<str:token>/<int:material>/delete/",
        speaker.SpeakerDeleteView.as_view(),
        name="speaker_delete",
    ),
    path(
        "r/<str:code>/<str:token>/materials/<int:pk>/",
        downloads.participant_download,
        name="participant_download",
    ),
    path("m/<str:code>/materials/<int:pk>/", downloads.public_download, name="public_download"),
]
# Documentation photos (materials/views/photos.py).
from .views import photos  # noqa: E402

_p = "meetings/<str:code>/photos/"
photo_patterns: list = [
    path(_p, photos.PhotosView.as_view(), name="photos"),
    path(f"{_p}add/", photos.UploadView.as_view(), name="photo_add"),
    path(f"{_p}<int:pk>/", photos.EditView.as_view(), name="photo_edit"),
    path(f"{_p}<int:pk>/report/", photos.ReportView.as_view(), name="photo_report"),
    path(f"{_p}<int:pk>/delete/", photos.DeleteView.as_view(), name="photo_delete"),
    path(f"{_p}<int:pk>/web/", photos.WebCopyView.as_view(), name="photo_web"),
    path(f"{_p}<int:pk>/original/", photos.OriginalView.as_view(), name="photo_original"),
]

urlpatterns = material_patterns + photo_patterns
