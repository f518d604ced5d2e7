"""Speakers' materials (paparan) per agenda item, the private upload links speakers use, and the
documentation photos (dokumentasi) per day.

Files live on the "private" storage (core/storage.py) under random names; the name people gave
is kept apart for display. Nothing here has a public URL: the views check permission, then serve.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.links import Urls
from core.storage import get_private_storage, random_name
from core.tokens import make_token
from directory.models import Person
from meetings.models import AgendaItem, Meeting, MeetingDay


def agenda_order() -> tuple:
    """Materials in agenda order, the meeting's own (no agenda item) first on every database:
    PostgreSQL puts NULLs last in an ascending order, SQLite first."""
    return (
        models.F("agenda_item__day__date").asc(nulls_first=True),
        models.F("agenda_item__start_time").asc(nulls_first=True),
        models.F("agenda_item__order").asc(nulls_first=True),
        "order",
        "id",
    )


def material_path(instance, filename: str) -> str:
    return random_name("materials")


def photo_path(instance, filename: str) -> str:
    return random_name("photos")


def photo_web_path(instance, filename: str) -> str:
    return random_name("photos-web")


class UploadLinkUrls(Urls):
    """The speaker's private page (`link.urls.page`, `.absolute.page` in emails); the token is
    made from the link's current version, so a revoked link is never handed out again."""

    def __init__(self, link: UploadLink):
        self._link = link

    @property
    def token(self) -> str:
        return make_token("upload_link", self._link.pk, self._link.version)

    page = property(
        lambda self: reverse("materials:speaker_upload", kwargs={"pk": self._link.pk, "token": self.token})
    )


class UploadLink(models.Model):
    """A speaker's private link to upload materials for one agenda item (or the whole meeting),
    like the focal points' links: unguessable (core.tokens, keyed by `version`), revocable."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="upload_links"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="upload_links",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("speaker"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    version = models.PositiveIntegerField(default=1)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("upload link")
        verbose_name_plural = _("upload links")
        ordering = ["meeting", "id"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @cached_property
    def urls(self) -> UploadLinkUrls:
        return UploadLinkUrls(self)


class Material(models.Model):
    """A file or a link shown with an agenda item (or with the meeting as a whole)."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", pgettext_lazy("kind of material", "Link")

    class Visibility(models.TextChoices):
        STAFF = "staff", _("Organizers and secretaries only")
        PARTICIPANTS = "participants", _("Registered participants")
        PUBLIC = "public", _("Everyone, after the meeting")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="materials"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FILE)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=material_path, blank=True, max_length=200
    )
    url = models.URLField(_("link"), max_length=2000, blank=True)
    display_name = models.CharField(_("file name"), max_length=200, blank=True)
    mime = models.CharField(_("type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.STAFF
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    upload_link = models.ForeignKey(
        UploadLink,
        verbose_name=_("uploaded through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["meeting", "agenda_item__day__date", "agenda_item__order", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE


class DocumentationPhoto(models.Model):
    """A documentation photo of a day: the original as uploaded, and a copy resized for the web
    (Pillow); `in_report` chooses it for the activity report and the news article."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="photos"
    )
    day = models.ForeignKey(
        MeetingDay, verbose_name=_("day"), on_delete=models.CASCADE, related_name="photos"
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    original = models.FileField(
        _("original"), storage=get_private_storage, upload_to=photo_path, max_length=200
    )
    web = models.FileField(
        _("web copy"), storage=get_private_storage, upload_to=photo_web_path, blank=True, max_length=200
    )
    display_name = models.CharField(_("file name"), max_length=200, blank=True)
    mime = models.CharField(_("type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    in_report = models.BooleanField(_("in the report and the news article"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("documentation photo")
        verbose_name_plural = _("documentation photos")
        ordering = ["meeting", "day__date", "order", "id"]

    def __str__(self):
        return self.caption or self.display_name
