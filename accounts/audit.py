"""Writing and reading the audit log; services call `record` inside their transaction."""

import re
from collections.abc import Iterable

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


# Scrubbing personal data out of entries (the purge of a meeting's participants) ----------------

PURGED = "[purged]"
EMAIL_ADDRESS = r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[a-z]{2,}"


def _scrub_value(value, pattern: re.Pattern, keep_keys: frozenset | None):
    if isinstance(value, str):
        return pattern.sub(PURGED, value)
    if isinstance(value, list):
        return [_scrub_value(item, pattern, None) for item in value]
    if isinstance(value, dict):
        return {
            key: (
                _scrub_value(item, pattern, None)
                if keep_keys is None or key in keep_keys or item is None or isinstance(item, (bool, int))
                else PURGED
            )
            for key, item in value.items()
        }
    return value


def scrub(
    entries: models.QuerySet,
    *,
    values: Iterable[str] = (),
    keep_keys: Iterable[str] | None = None,
    addresses: bool = True,
    dry_run: bool = False,
) -> int:
    """Remove personal data from audit entries for good; returns how many entries changed (or
    would change, with `dry_run`).

    Every occurrence of `values` (names, emails, phone numbers; whole words, any case) and, with
    `addresses`, every email address becomes "[purged]" in the details and the object's name.
    With `keep_keys`, the details keep only those keys' values (and numbers, flags and empty
    values): whatever else an entry recorded about the person goes, even what a later version of
    a service adds.
    """
    words = sorted({v.strip() for v in values if v and v.strip()}, key=len, reverse=True)
    alternatives = [rf"(?<!\w){re.escape(word)}(?!\w)" for word in words]
    if addresses:
        alternatives.append(EMAIL_ADDRESS)
    if not alternatives:
        alternatives.append(r"(?!)")  # matches nothing
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    keep = None if keep_keys is None else frozenset(keep_keys)
    changed = 0
    for entry in entries.only("pk", "object_repr", "data").iterator():
        data = _scrub_value(entry.data, pattern, keep)
        object_repr = pattern.sub(PURGED, entry.object_repr)
        if data != entry.data or object_repr != entry.object_repr:
            if not dry_run:
                AuditEntry.objects.filter(pk=entry.pk).update(data=data, object_repr=object_repr)
            changed += 1
    return changed
