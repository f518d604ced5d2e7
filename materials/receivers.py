"""Every signal reaction of the materials app."""

from __future__ import annotations

from django.db.models.signals import post_delete

from core.storage import delete_on_commit
from participants.signals import meeting_purged

from .models import DocumentationPhoto, Material


def _material_deleted(sender, instance: Material, **kwargs) -> None:
    # A deleted row (by a service, or by the cascade of a deleted meeting or agenda item)
    # takes its file with it, once the deletion has committed.
    if instance.file:
        delete_on_commit(instance.file.storage, instance.file.name)


def _photo_deleted(sender, instance: DocumentationPhoto, **kwargs) -> None:
    for field in (instance.original, instance.web):
        if field:
            delete_on_commit(field.storage, field.name)


def _meeting_purged(sender, meeting, **kwargs) -> None:
    # Inside the purge's transaction: the speakers' names and emails leave their upload links,
    # and the links stop working. The materials stay (they are the meeting's record).
    from .services.upload_links import purge

    purge(meeting)


def connect() -> None:
    post_delete.connect(_material_deleted, sender=Material, dispatch_uid="materials-material-file")
    post_delete.connect(_photo_deleted, sender=DocumentationPhoto, dispatch_uid="materials-photo-files")
    meeting_purged.connect(_meeting_purged, dispatch_uid="materials-upload-links-purged")
