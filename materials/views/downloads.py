"""Downloads of the materials' files outside the staff: a confirmed registrant's through their
private link, and everyone's of a public material once the meeting has ended. A material the
requester may not have is a 404, whatever the reason."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.storage import serve
from meetings.models import Meeting
from participants.links import registration_for_token

from .. import permissions
from ..models import Material


def _file(material: Material):
    if not material.is_file or not material.file:
        raise Http404
    response = serve(material.file, filename=material.display_name, content_type=material.mime)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def participant_download(request, code: str, token: str, pk: int):
    registration = registration_for_token(code, token)
    if registration is None:
        raise Http404
    material = get_object_or_404(
        Material.objects.select_related("meeting"), pk=pk, meeting=registration.meeting
    )
    if not permissions.readable_by_participant(material, registration):
        raise Http404
    return _file(material)


def public_download(request, code: str, pk: int):
    meeting = get_object_or_404(Meeting.objects.visible_to_public(), code=code)
    material = get_object_or_404(Material, pk=pk, meeting=meeting)
    material.meeting = meeting
    if not permissions.readable_by_public(material):
        raise Http404
    return _file(material)
