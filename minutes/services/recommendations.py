"""Recommendations and action items of a version of the minutes: add, change, delete.

As the other parts, every save is a revision and a save over a newer one is refused (see
`editing.apply`). Themes are shared tags, found by their slug so "Pengawasan" and "pengawasan"
are one theme across meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import Organization, Person

from .. import richtext
from ..models import ActionItem, Minutes, Recommendation, Revision, Section, Theme
from .editing import apply, open_minutes
from .revisions import check_base, save_revision, snapshot


def theme_named(name: str | Theme) -> Theme:
    if isinstance(name, Theme):
        return name
    name = " ".join(richtext.clean(name).split())[:100]
    slug = slugify(name)[:100]
    if not slug:
        raise ValidationError(_("A theme needs a name with letters or digits."))
    theme, _created = Theme.objects.get_or_create(slug=slug, defaults={"name": name})
    return theme


def _section(minutes: Minutes, section: Section | None) -> Section | None:
    if section is not None and section.minutes_id != minutes.pk:
        raise ValidationError(_("This agenda item is not part of these minutes."))
    return section


def _choice(value: str, choices, message: str) -> str:
    if value not in choices.values:
        raise ValidationError(message)
    return value


def _recommendation_fields(minutes: Minutes, fields: dict) -> tuple[dict, dict]:
    """Plain field changes and many-to-many changes, validated."""
    changes: dict = {}
    many: dict = {}
    for name, value in fields.items():
        if name == "text":
            value = richtext.clean(value)
            if not value:
                raise ValidationError(_("Write the recommendation."))
            changes[name] = value
        elif name == "rationale":
            changes[name] = richtext.clean(value)
        elif name == "instrument":
            changes[name] = _choice(
                value, Recommendation.Instrument, _("Choose an instrument from the list.")
            )
        elif name == "priority":
            changes[name] = _choice(value, Recommendation.Priority, _("Choose a priority from the list."))
        elif name == "section":
            changes[name] = _section(minutes, value)
        elif name in ("proposed_by_person", "proposed_by_organization"):
            changes[name] = value
        elif name == "addressed_to":
            many[name] = sorted({org.pk for org in value or ()})
        elif name == "themes":
            many[name] = sorted({theme_named(theme).pk for theme in value or ()})
        else:
            raise ValidationError(_("Unknown field: %(name)s.") % {"name": name})
    return changes, many


def _save_recommendation(rec: Recommendation, changes: dict, many: dict, *, author, base) -> bool:
    current = snapshot(rec)
    for name, value in changes.items():
        setattr(rec, name, value)
    mine = snapshot(rec) | many
    if mine == current:
        return False
    check_base(rec, base, mine)
    if changes:
        rec.save(update_fields=list(changes))
    for name, pks in many.items():
        getattr(rec, name).set(pks)
    save_revision(rec, author=author)
    return True


def add_recommendation(
    minutes: Minutes,
    *,
    author,
    text: str,
    rationale: str = "",
    instrument: str = Recommendation.Instrument.OTHER,
    priority: str = Recommendation.Priority.MEDIUM,
    addressed_to: Iterable[Organization] = (),
    themes: Iterable[str | Theme] = (),
    section: Section | None = None,
    proposed_by_person: Person | None = None,
    proposed_by_organization: Organization | None = None,
) -> Recommendation:
    with transaction.atomic():
        minutes = open_minutes(minutes.pk, minutes.meeting_id)
        changes, many = _recommendation_fields(
            minutes,
            {
                "text": text,
                "rationale": rationale,
                "instrument": instrument,
                "priority": priority,
                "section": section,
                "proposed_by_person": proposed_by_person,
                "proposed_by_organization": proposed_by_organization,
                "addressed_to": addressed_to,
                "themes": themes,
            },
        )
        last = minutes.recommendations.aggregate(last=Max("order"))["last"]
        rec = Recommendation.objects.create(minutes=minutes, order=0 if last is None else last + 1, **changes)
        for name, pks in many.items():
            getattr(rec, name).set(pks)
        save_revision(rec, author=author, change=Revision.Change.CREATED)
        return rec


def update_recommendation(rec: Recommendation, *, author, base: int | None, **fields) -> Recommendation:
    with transaction.atomic():
        minutes = open_minutes(rec.minutes_id, rec.minutes.meeting_id)
        rec = Recommendation.objects.get(pk=rec.pk)
        changes, many = _recommendation_fields(minutes, fields)
        _save_recommendation(rec, changes, many, author=author, base=base)
        return rec


def delete_recommendation(rec: Recommendation, *, author, base: int | None) -> None:
    with transaction.atomic():
        open_minutes(rec.minutes_id, rec.minutes.meeting_id)
        rec = Recommendation.objects.get(pk=rec.pk)
        check_base(rec, base, {})
        save_revision(rec, author=author, change=Revision.Change.DELETED)
        rec.delete()


def _action_fields(minutes: Minutes, fields: dict) -> dict:
    changes: dict = {}
    for name, value in fields.items():
        if name == "text":
            value = richtext.clean(value)
            if not value:
                raise ValidationError(_("Write what is to be done."))
            changes[name] = value
        elif name == "state":
            changes[name] = _choice(value, ActionItem.State, _("Choose a state from the list."))
        elif name == "due_on":
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                raise ValidationError(_("Enter a valid due date."))
            changes[name] = value
        elif name == "section":
            changes[name] = _section(minutes, value)
        elif name in ("owner_person", "owner_organization"):
            changes[name] = value
        else:
            raise ValidationError(_("Unknown field: %(name)s.") % {"name": name})
    return changes


def add_action(
    minutes: Minutes,
    *,
    author,
    text: str,
    owner_person: Person | None = None,
    owner_organization: Organization | None = None,
    due_on: date | None = None,
    state: str = ActionItem.State.OPEN,
    section: Section | None = None,
) -> ActionItem:
    with transaction.atomic():
        minutes = open_minutes(minutes.pk, minutes.meeting_id)
        changes = _action_fields(
            minutes,
            {
                "text": text,
                "owner_person": owner_person,
                "owner_organization": owner_organization,
                "due_on": due_on,
                "state": state,
                "section": section,
            },
        )
        last = minutes.actions.aggregate(last=Max("order"))["last"]
        action = ActionItem.objects.create(minutes=minutes, order=0 if last is None else last + 1, **changes)
        save_revision(action, author=author, change=Revision.Change.CREATED)
        return action


def update_action(action: ActionItem, *, author, base: int | None, **fields) -> ActionItem:
    with transaction.atomic():
        minutes = open_minutes(action.minutes_id, action.minutes.meeting_id)
        action = ActionItem.objects.get(pk=action.pk)
        apply(action, _action_fields(minutes, fields), author=author, base=base)
        return action


def delete_action(action: ActionItem, *, author, base: int | None) -> None:
    with transaction.atomic():
        open_minutes(action.minutes_id, action.minutes.meeting_id)
        action = ActionItem.objects.get(pk=action.pk)
        check_base(action, base, {})
        save_revision(action, author=author, change=Revision.Change.DELETED)
        action.delete()
