"""A material's or a photo's stored files go when its row goes, the meeting's cascade included."""

import pytest
from django.core.files.base import ContentFile

from materials.models import DocumentationPhoto, Material
from tests.factories import MeetingDayFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_a_meeting_removes_its_materials_and_photos_from_storage():
    meeting = MeetingFactory()
    day = MeetingDayFactory(meeting=meeting)
    material = Material(meeting=meeting, title="Paparan", display_name="paparan.pdf")
    material.file.save("paparan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    photo = DocumentationPhoto(meeting=meeting, day=day, caption="Pembukaan")
    photo.original.save("a.jpg", ContentFile(b"original"), save=False)
    photo.web.save("a.jpg", ContentFile(b"web"), save=True)
    names = [material.file.name, photo.original.name, photo.web.name]
    storage = material.file.storage
    assert all(storage.exists(name) for name in names)
    assert ".pdf" not in material.file.name
    assert "paparan" not in material.file.name

    meeting.delete()

    assert [storage.exists(name) for name in names] == [False, False, False]
