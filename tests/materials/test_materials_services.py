"""The materials' services: files checked by content and stored under random names, links only
http(s), changes and deletions audit-logged, the speakers' upload links (made, emailed, revoked)
and the purge of their personal data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry, OutgoingEmail
from core.tokens import make_token
from materials.models import Material, UploadLink
from materials.notifications import upload_link_message
from materials.services import materials as services
from materials.services import upload_links
from participants.services.privacy import purge_meeting

from .conftest import DOCX, EXE, HTML, PDF, upload

pytestmark = pytest.mark.django_db


def actions(meeting) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(meeting.pk)).order_by("pk").values_list("action", flat=True)
    )


def test_a_file_is_typed_by_content_and_stored_under_a_random_name(fgd, item, organizer):
    material = services.add_file(
        fgd,
        upload=upload("../../etc/passwd.pdf", PDF),
        agenda_item=item,
        visibility="participants",
        actor=organizer,
    )

    assert (material.title, material.display_name, material.mime, material.size) == (
        "passwd",
        "passwd.pdf",
        "application/pdf",
        len(PDF),
    )
    assert material.file.name.startswith("materials/")
    assert "passwd" not in material.file.name
    assert ".." not in material.file.name
    assert material.file.storage.open(material.file.name).read() == PDF
    assert (material.uploaded_by, material.agenda_item, material.order) == (organizer, item, 0)
    assert actions(fgd) == ["materials.added"]


def test_a_docx_gets_its_type_and_extension_from_its_parts(fgd, organizer):
    material = services.add_file(
        fgd, upload=upload("Paparan.pdf", DOCX), title="Paparan Dirjen", actor=organizer
    )

    assert material.display_name == "Paparan.docx"
    assert material.mime.endswith("wordprocessingml.document")


@pytest.mark.parametrize("content", [EXE, HTML, b""])
def test_a_disguised_or_empty_file_is_refused_and_nothing_is_stored(fgd, organizer, content):
    storage_before = _stored()

    with pytest.raises(ValidationError) as refused:
        services.add_file(fgd, upload=upload("paparan.pdf", content), actor=organizer)

    assert list(refused.value.message_dict) == ["file"]
    assert Material.objects.count() == 0
    assert _stored() == storage_before
    assert actions(fgd) == []


def _stored() -> set[str]:
    from core.storage import get_private_storage

    storage = get_private_storage()
    try:
        return set(storage.listdir("materials")[1])
    except FileNotFoundError:
        return set()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.test/x",
        "data:text/html,<b>x</b>",
        "example.test",
        "",
        "https://",
    ],
)
def test_a_link_must_be_http_or_https(fgd, organizer, url):
    with pytest.raises(ValidationError) as refused:
        services.add_link(fgd, url=url, title="Rekaman", actor=organizer)

    assert list(refused.value.message_dict) == ["url"]
    assert Material.objects.count() == 0


def test_a_link_is_kept_with_its_title_and_placed_after_the_others(fgd, item, organizer):
    first = services.add_link(
        fgd, url="https://example.test/a", title="Rekaman hari 1", agenda_item=item, actor=organizer
    )
    second = services.add_link(
        fgd, url="http://example.test/b", title=" Dokumen\u202e  Rapat ", agenda_item=item, actor=organizer
    )

    assert (first.order, second.order) == (0, 1)
    assert second.title == "Dokumen Rapat"
    assert (second.kind, second.url, second.file.name) == ("link", "http://example.test/b", "")


def test_an_agenda_item_of_another_meeting_is_refused(fgd, other_meeting, organizer):
    theirs = other_meeting.days.get().items.get()

    with pytest.raises(ValidationError) as refused:
        services.add_link(fgd, url="https://example.test", title="x", agenda_item=theirs, actor=organizer)

    assert list(refused.value.message_dict) == ["agenda_item"]


def test_update_changes_what_the_staff_may_change_and_logs_it(fgd, item, files, organizer):
    material = files["staff"]

    services.update(
        material, title="Paparan final", visibility="public", agenda_item=None, order=5, actor=organizer
    )

    material.refresh_from_db()
    assert (material.title, material.visibility, material.agenda_item, material.order) == (
        "Paparan final",
        "public",
        None,
        5,
    )
    entry = AuditEntry.objects.filter(action="materials.changed").get()
    assert entry.data["fields"] == ["agenda_item", "order", "title", "visibility"]


def test_delete_removes_the_file_from_storage_once_committed(
    fgd, files, organizer, django_capture_on_commit_callbacks
):
    material = files["participants"]
    storage, name = material.file.storage, material.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete(material, actor=organizer)

    assert not Material.objects.filter(pk=material.pk).exists()
    assert not storage.exists(name)
    assert actions(fgd)[-1] == "materials.deleted"


# Upload links -----------------------------------------------------------------------------------


def test_a_link_for_an_item_takes_its_speakers_name_and_email(fgd, item, organizer):
    link = upload_links.create(fgd, agenda_item=item, actor=organizer)

    assert (link.name, link.email, link.person.full_name, link.is_active) == (
        "Rendra Setiawan",
        "rendra@kemnaker.test",
        "Rendra Setiawan",
        True,
    )
    assert upload_links.link_for_token(link.pk, link.urls.token) == link
    assert OutgoingEmail.objects.count() == 0


def test_a_link_without_a_speaker_needs_a_name(fgd, organizer):
    opening = fgd.days.order_by("date").first().items.get(order=1)

    with pytest.raises(ValidationError) as refused:
        upload_links.create(fgd, agenda_item=opening, actor=organizer)

    assert list(refused.value.message_dict) == ["name"]
    assert UploadLink.objects.count() == 0


def test_a_link_sent_by_email_is_queued_in_the_meetings_group(fgd, item, organizer):
    link = upload_links.create(fgd, agenda_item=item, actor=organizer, send=True)

    email = OutgoingEmail.objects.get()
    assert (email.to, email.group) == (["rendra@kemnaker.test"], f"meeting:{fgd.pk}")
    message = upload_link_message(**email.params)
    assert message.context["upload_url"] == "http://testserver" + link.urls.page


def test_revoking_a_link_stops_every_copy_and_a_second_revoke_changes_nothing(fgd, item, organizer):
    link = upload_links.create(fgd, agenda_item=item, actor=organizer)
    token = link.urls.token

    upload_links.revoke(link, actor=organizer)
    upload_links.revoke(link, actor=organizer)

    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.version == 2
    assert upload_links.link_for_token(link.pk, token) is None
    assert upload_links.link_for_token(link.pk, make_token("upload_link", link.pk, 2)) is None
    assert actions(fgd).count("materials.upload_link_revoked") == 1


def test_purging_the_meeting_clears_the_links_personal_data_and_revokes_them(fgd, item, organizer):
    link = upload_links.create(fgd, agenda_item=item, actor=organizer, send=True)
    by_speaker = services.add_file(fgd, upload=upload("slide.pdf", PDF), upload_link=link, agenda_item=item)

    purge_meeting(fgd, actor=organizer)
    first = list(UploadLink.objects.values_list("name", "email", "person", "version"))
    purge_meeting(fgd, actor=organizer)

    link.refresh_from_db()
    assert first == [("", "", None, 2)]
    assert list(UploadLink.objects.values_list("name", "email", "person", "version")) == first
    assert link.revoked_at is not None
    assert OutgoingEmail.objects.count() == 0  # the emailed link went with the meeting's emails
    assert Material.objects.get().pk == by_speaker.pk  # the materials stay: the meeting's record
    texts = " ".join(str(e.data) + e.object_repr for e in AuditEntry.objects.all())
    assert "Rendra" not in texts
    assert "kemnaker.test" not in texts
