"""Every URL of the materials app: the speakers' materials and the documentation photos."""

from django.urls import path  # noqa: F401

app_name = "materials"

# Speakers' materials and their upload links (materials/views/materials.py, speaker.py).
material_patterns: list = []
# Documentation photos (materials/views/photos.py).
photo_patterns: list = []

urlpatterns = material_patterns + photo_patterns
