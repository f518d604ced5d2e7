"""What became of recommendations (follow-up), who answers for an organization (focal points),
which recommendations are the same (merges), and the policy-input documents built from them.

A recommendation is copied into every new version of its minutes with the same `key`; its
follow-up belongs to that key, so a correction of the minutes keeps the history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from core.links import Urls
from core.tokens import make_token
from directory.models import Organization


class EvidenceStorage(LazyObject):
    """Uploaded evidence lives under POLICY_EVIDENCE_ROOT, outside the web root and MEDIA_URL:
    it is served only by the evidence view, after its permission check."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.POLICY_EVIDENCE_ROOT, base_url=None)


evidence_storage = EvidenceStorage()


def get_evidence_storage():
    """The field's storage as a callable: migrations record this function, not the storage's
    location (which differs from one installation to the next)."""
    return evidence_storage


def evidence_path(instance, filename: str) -> str:
    # The stored name is random: nothing of the uploaded name (`../../x`, `CON.pdf`) reaches
    # the file system; the name people see is kept apart in `evidence_name`.
    return f"{uuid.uuid4().hex}"


class State(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


OPEN_STATES = (State.PROPOSED, State.ACCEPTED, State.IN_PROGRESS)


class Tracking(models.Model):
    """The follow-up of one recommendation (by its key, across versions of its minutes).

    A recommendation without a row is proposed, with no due date. A row merged into another
    is the same recommendation made at another meeting: its state and history are those of the
    row it was merged into.
    """

    key = models.UUIDField(unique=True)
    state = models.CharField(_("follow-up"), max_length=12, choices=State.choices, default=State.PROPOSED)
    due_on = models.DateField(_("follow-up due"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("same as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.key} ({self.get_state_display()})"


class FocalPointUrls(Urls):
    def __init__(self, row: FocalPoint):
        self._row = row

    @property
    def token(self) -> str:
        return make_token("focal_point", self._row.pk, self._row.token_version)

    # The focal point's private page: the recommendations addressed to their organization.
    private = property(
        lambda self: reverse("policy:focal_point", kwargs={"pk": self._row.pk, "token": self.token})
    )


class FocalPoint(models.Model):
    """Who answers for an organization's follow-up: through their account (same email) or a
    private link that raising `token_version` revokes."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="focal_points"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="id")
    token_version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    link_sent_at = models.DateTimeField(_("link sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], name="policy_focal_point_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"

    @property
    def urls(self) -> FocalPointUrls:
        return FocalPointUrls(self)


class FollowUp(models.Model):
    """One dated change of a recommendation's follow-up, with its note and evidence."""

    tracking = models.ForeignKey(Tracking, on_delete=models.CASCADE, related_name="history")
    state = models.CharField(_("follow-up"), max_length=12, choices=State.choices)
    previous_state = models.CharField(max_length=12, choices=State.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"),
        storage=get_evidence_storage,
        upload_to=evidence_path,
        blank=True,
        max_length=100,
    )
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_focal_point = models.ForeignKey(
        FocalPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    # Kept as written at the time: the account or the focal point may go later.
    by_name = models.CharField(_("by"), max_length=300)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["-happened_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.happened_on}"


class PolicyBrief(models.Model):
    """A policy-input document: a selection of recommendations (by key) and versions of its prose."""

    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="id")
    keys = models.JSONField(_("recommendations"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("policy-input document")
        verbose_name_plural = _("policy-input documents")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class PolicyBriefVersion(models.Model):
    """One saved state of a document's prose: every save is a new version, none is overwritten."""

    brief = models.ForeignKey(PolicyBrief, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("executive summary"), blank=True)
    background = models.TextField(_("background"), blank=True)
    # {theme slug or "": prose}: the findings, one text per theme of the selection.
    findings = models.JSONField(_("findings"), default=dict, blank=True)
    closing = models.TextField(_("closing"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("version")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["brief", "number"], name="policy_brief_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.brief_id} v{self.number}"
