"""Focal points: who answers for an organization's follow-up. Analysts and administrators add
them, send their private link, revoke it (a new token version) and remove them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from ..models import FocalPoint
from ..notifications import notify_focal_point_link
from .digest import schedule_digest


@transaction.atomic
def add_focal_point(
    *, organization, name: str, email: str, language: str, user, send: bool = True
) -> FocalPoint:
    existing = FocalPoint.objects.filter(organization=organization, email__iexact=email).first()
    if existing is not None and existing.active:
        raise ValidationError(_("This person is already a focal point of this organization."))
    if existing is not None:
        # Added again after a removal: a fresh link, never the one revoked at the removal.
        existing.name, existing.language, existing.active = name, language, True
        existing.token_version += 1
        existing.save(update_fields=["name", "language", "active", "token_version"])
        focal_point = existing
    else:
        try:
            with transaction.atomic():
                focal_point = FocalPoint.objects.create(
                    organization=organization, name=name, email=email, language=language
                )
        except IntegrityError as exc:
            raise ValidationError(_("This person is already a focal point of this organization.")) from exc
    audit.record(focal_point, "policy.focal_point_added", actor=user, organization=str(organization))
    if send:
        _send(focal_point)
    schedule_digest()
    return focal_point


def _send(focal_point: FocalPoint) -> None:
    notify_focal_point_link(focal_point)
    focal_point.link_sent_at = timezone.now()
    focal_point.save(update_fields=["link_sent_at"])


@transaction.atomic
def send_link(focal_point: FocalPoint, *, user) -> None:
    """The current link again (the first email was lost or deleted)."""
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    _send(focal_point)
    audit.record(focal_point, "policy.focal_point_link_sent", actor=user)


@transaction.atomic
def revoke_link(focal_point: FocalPoint, *, user, send_new: bool = True) -> FocalPoint:
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    focal_point.token_version += 1
    focal_point.save(update_fields=["token_version"])
    audit.record(focal_point, "policy.focal_point_link_revoked", actor=user)
    if send_new and focal_point.active:
        _send(focal_point)
    return focal_point


@transaction.atomic
def remove_focal_point(focal_point: FocalPoint, *, user) -> FocalPoint:
    focal_point = FocalPoint.objects.select_for_update().get(pk=focal_point.pk)
    focal_point.active = False
    focal_point.token_version += 1
    focal_point.save(update_fields=["active", "token_version"])
    audit.record(focal_point, "policy.focal_point_removed", actor=user)
    return focal_point
