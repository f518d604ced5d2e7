"""Who takes part: organizations, people, host agencies and agenda roles."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Meeting
from meetings.timezones import TIMEZONE_CHOICES


class Organization(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        REGIONAL_UNIT = "regional_unit", _("Regional unit")
        COMPANY = "company", _("Company")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    timezone = models.CharField(
        _("time zone"), max_length=40, choices=TIMEZONE_CHOICES, default="Asia/Jakarta"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="unique_organization_name_ci"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("participants:organization_edit", kwargs={"pk": self.pk})


class Person(models.Model):
    full_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position (jabatan)"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("participants:person_edit", kwargs={"pk": self.pk})


class MeetingHost(models.Model):
    """An agency hosting a meeting (the organizer unit, or a co-host)."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        CO_HOST = "co_host", _("Co-host")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="hosts"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="hosted",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("host agency")
        verbose_name_plural = _("host agencies")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organization"], name="unique_meeting_host")
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()}"


class AgendaRole(models.Model):
    """A speaker (narasumber) or moderator of an agenda item."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="roles"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="agenda_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agenda role")
        verbose_name_plural = _("agenda roles")
        ordering = ["role", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "person", "role"], name="unique_agenda_role")
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"
