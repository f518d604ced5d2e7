"""Writing and reading the audit log; services call `record` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(obj: models.Model, action: str, actor=None, **data) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        data=data,
    )


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
