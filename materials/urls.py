"""Every URL of the materials app: the speakers' materials and the documentation photos."""

from django.urls import path

app_name = "materials"

# Speakers' materials and their upload links (materials/views/materials.py, speaker.py).
material_patterns: list = []
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
