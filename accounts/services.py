"""State changes of a user account that Sinergi makes itself (allauth handles login, email and MFA)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from core import audit
from core.text import clean_name

from .models import User

PROFILE_FIELDS = ("full_name", "position")


@transaction.atomic
def update_profile(user: User, actor: User | None = None, **fields: str) -> list[str]:
    """Change a user's name and position; returns the names of the fields that changed."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    changed = {}
    for name, value in fields.items():
        value = clean_name(value)
        old = getattr(user, name)
        if old != value:
            changed[name] = (old, value)
            setattr(user, name, value)
    if not changed:
        return []
    user.save(update_fields=list(changed))
    audit.record(user, "account.profile_updated", actor or user, changes=changed)
    return list(changed)


@transaction.atomic
def reset_calendar_token(user: User, actor: User | None = None) -> int:
    """Revoke the user's calendar feed link: the next version signs the new one."""
    User.objects.filter(pk=user.pk).update(calendar_token_version=F("calendar_token_version") + 1)
    user.refresh_from_db(fields=["calendar_token_version"])
    audit.record(user, "account.calendar_link_reset", actor or user, version=user.calendar_token_version)
    return user.calendar_token_version
