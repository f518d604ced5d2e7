"""The materials as the meeting's public page lists them (under each agenda item, and those of the
meeting as a whole in a panel below the agenda) and as a registrant's private page lists them
(a panel, grouped by agenda item), and the staff page's link on the meetings' `urls` helper."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from meetings.models import AgendaItem

from .. import permissions
from ..models import Material


@dataclass
class Group:
    item: AgendaItem | None
    materials: list[Material] = field(default_factory=list)


def grouped(materials, items: list[AgendaItem] | None = None) -> list[Group]:
    """Materials by agenda item, in agenda order; those of the meeting as a whole first. With
    `items`, every item has its group, empty or not (the staff page)."""
    groups: dict[int | None, Group] = {}
    if items is not None:
        groups[None] = Group(None)
        for item in items:
            groups[item.pk] = Group(item)
    for material in materials:
        group = groups.setdefault(material.agenda_item_id, Group(material.agenda_item))
        group.materials.append(material)

    def key(group: Group):
        item = group.item
        if item is None:
            return (0, None, None, 0, 0)
        return (1, item.day.date, item.start_time, item.order, item.pk)

    return sorted(groups.values(), key=key)


def _with_downloads(materials, url_of) -> list[Material]:
    materials = list(materials)
    for material in materials:
        material.download_url = url_of(material) if material.is_file else material.url
    return materials


def _public_materials(meeting) -> list[Material]:
    # Read once per page (the agenda's items and the panel below share it).
    cache = meeting.__dict__
    if "_public_materials" not in cache:
        cache["_public_materials"] = _with_downloads(
            permissions.visible(meeting, permissions.PUBLIC),
            lambda m: reverse("materials:public_download", kwargs={"code": meeting.code, "pk": m.pk}),
        )
    return cache["_public_materials"]


def _agenda_panel(request, meeting) -> dict:
    """Under each agenda item of the public page, its public materials (after the meeting)."""
    by_item: dict[int, list[Material]] = {}
    for material in _public_materials(meeting):
        if material.agenda_item_id:
            by_item.setdefault(material.agenda_item_id, []).append(material)
    return {pk: ("materials/_agenda_item.html", {"materials": found}) for pk, found in by_item.items()}


def _public_panel(request, meeting):
    """Below the agenda, the public materials of the meeting as a whole."""
    materials = [m for m in _public_materials(meeting) if not m.agenda_item_id]
    if not materials:
        return None
    return ("materials/_panel.html", {"groups": grouped(materials), "meeting": meeting})


def _private_panel(request, registration, token):
    meeting = registration.meeting
    if not permissions.is_participant(registration, meeting):
        return None
    materials = _with_downloads(
        permissions.visible(meeting, permissions.PARTICIPANTS),
        lambda m: reverse(
            "materials:participant_download", kwargs={"code": registration.code, "token": token, "pk": m.pk}
        ),
    )
    if not materials:
        return None
    return ("materials/_panel.html", {"groups": grouped(materials), "meeting": meeting, "private": True})


def register() -> None:
    """Called by MaterialsConfig.ready."""
    from meetings.models import MeetingUrls
    from meetings.panels import add_agenda_item_panel, add_public_page_panel
    from participants.panels import add_private_page_panel

    MeetingUrls.add(materials="materials:materials")
    add_agenda_item_panel(_agenda_panel)
    add_public_page_panel(_public_panel)
    add_private_page_panel(_private_panel)
