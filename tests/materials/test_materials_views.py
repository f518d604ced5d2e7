"""The staff's Materi page, its uploads (refused by content, with the reason in Indonesian and
nothing saved), and who downloads which material: every visibility against every viewer, with
files that could leak, before and after the meeting."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.models import AuditEntry
from materials.models import Material
from tests.conftest import login

from .conftest import DOCX, EXE, HTML, PDF, end, registrant, secret_pdf, upload, zipped

pytestmark = pytest.mark.django_db


def page(meeting) -> str:
    return reverse("materials:materials", kwargs={"code": meeting.code})


def add_url(meeting) -> str:
    return reverse("materials:material_add", kwargs={"code": meeting.code})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_staff_page_lists_materials_by_agenda_item(client, fgd, item, files, secretary):
    html = login(client, secretary).get(page(fgd)).content.decode()

    assert html.count('data-group="') == 3  # the meeting as a whole, and each agenda item
    assert f'data-group="{item.pk}"' in html
    for material in files.values():
        assert f'id="material-{material.pk}"' in html
    assert "https://example.test/rekaman-staf" in html


def test_the_meeting_page_links_to_the_materials(client, fgd, organizer):
    html = login(client, organizer).get(fgd.urls.detail).content.decode()

    assert f'href="{page(fgd)}" id="materials-link"' in html


@pytest.mark.parametrize("who", ["anonymous", "other_organizer", "other_secretary", "stranger_organizer"])
def test_the_staff_page_is_for_the_meetings_staff_only(client, fgd, files, who, request):
    if who != "anonymous":
        login(client, request.getfixturevalue(who))

    response = client.get(page(fgd))

    assert response.status_code == (302 if who == "anonymous" else 404)
    assert b"Paparan staff" not in response.content


def test_an_organizer_adds_a_file_and_a_link(client, fgd, item, organizer):
    login(client, organizer)

    posted = client.post(
        add_url(fgd),
        {
            "agenda_item": item.pk,
            "title": "",
            "visibility": "participants",
            "file": upload("../../etc/passwd.pdf", PDF),
        },
    )
    linked = client.post(
        add_url(fgd),
        {"agenda_item": "", "title": "Rekaman Zoom", "visibility": "public", "url": "https://example.test/z"},
    )

    assert (posted.status_code, linked.status_code) == (302, 302)
    assert list(
        Material.objects.order_by("pk").values_list("kind", "title", "display_name", "agenda_item")
    ) == [
        ("file", "passwd", "passwd.pdf", item.pk),
        ("link", "Rekaman Zoom", "", None),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("paparan.pdf", EXE, "Jenis berkas ini tidak diterima"),
        ("paparan.pdf", HTML, "Jenis berkas ini tidak diterima"),
        ("slide.pptx", b"PK\x03\x04 broken zip", "Jenis berkas ini tidak diterima"),
        ("kosong.pdf", b"", "Berkas yang dikirimkan kosong."),
    ],
)
def test_a_wrong_file_is_refused_in_indonesian_and_nothing_is_saved(
    client, fgd, organizer, name, content, message
):
    login(client, organizer)

    response = client.post(
        add_url(fgd), {"title": "x", "visibility": "public", "file": upload(name, content)}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Material.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="materials.").exists()


def test_a_file_over_the_limit_is_refused(client, fgd, organizer, settings):
    settings.SINERGI_MATERIAL_MAX_BYTES = 1000
    login(client, organizer)

    response = client.post(
        add_url(fgd), {"visibility": "public", "file": upload("besar.pdf", PDF + b"0" * 2000)}
    )

    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    assert Material.objects.count() == 0


def test_a_zip_bomb_in_an_office_file_is_refused_unread(client, fgd, organizer, monkeypatch):
    import core.uploads

    login(client, organizer)
    assert (
        client.post(add_url(fgd), {"visibility": "staff", "file": upload("sk.docx", DOCX)}).status_code == 302
    )
    monkeypatch.setattr(core.uploads, "MAX_UNPACKED_BYTES", 100_000)
    bomb = zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/media/x.bin": b"\0" * 200_000,
        }
    )

    refused = client.post(add_url(fgd), {"visibility": "staff", "file": upload("bom.docx", bomb)})

    assert refused.status_code == 400
    assert "terlalu banyak data" in refused.content.decode()
    assert Material.objects.count() == 1


def test_a_file_and_a_link_together_or_neither_are_refused(client, fgd, organizer):
    login(client, organizer)

    both = client.post(
        add_url(fgd),
        {"title": "x", "visibility": "staff", "url": "https://example.test", "file": upload("a.pdf", PDF)},
    )
    neither = client.post(add_url(fgd), {"title": "x", "visibility": "staff"})
    bad_scheme = client.post(
        add_url(fgd), {"title": "x", "visibility": "staff", "url": "javascript:alert(1)"}
    )

    assert [r.status_code for r in (both, neither, bad_scheme)] == [400, 400, 400]
    assert "Kirim berkas atau tautan, tidak keduanya." in both.content.decode()
    assert "http:// atau https://" in bad_scheme.content.decode()
    assert Material.objects.count() == 0


def test_editing_and_deleting_through_the_page(
    client, fgd, files, organizer, django_capture_on_commit_callbacks
):
    login(client, organizer)
    material = files["staff"]
    edit = reverse("materials:material_edit", kwargs={"code": fgd.code, "pk": material.pk})

    assert client.get(edit).status_code == 200
    saved = client.post(
        edit, {"title": "Paparan baru", "agenda_item": "", "visibility": "public", "order": "3"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(
            reverse("materials:material_delete", kwargs={"code": fgd.code, "pk": files["public"].pk})
        )

    assert (saved.status_code, deleted.status_code) == (302, 302)
    material.refresh_from_db()
    assert (material.title, material.visibility, material.order) == ("Paparan baru", "public", 3)
    assert not Material.objects.filter(pk=files["public"].pk).exists()
    assert not files["public"].file.storage.exists(files["public"].file.name)


def test_another_meetings_staff_cannot_touch_a_material_through_their_own_meeting(
    client, fgd, other_meeting, files, other_organizer
):
    login(client, other_organizer)
    material = files["staff"]
    kwargs = {"code": other_meeting.code, "pk": material.pk}

    assert client.get(reverse("materials:material_download", kwargs=kwargs)).status_code == 404
    assert client.post(reverse("materials:material_delete", kwargs=kwargs)).status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


# Who downloads what -----------------------------------------------------------------------------

VISIBILITIES = ["staff", "participants", "public"]
# viewer -> visibility -> (before the meeting has ended, after)
EXPECTED = {
    "anonymous": {"staff": (404, 404), "participants": (404, 404), "public": (404, 200)},
    "registrant": {"staff": (404, 404), "participants": (200, 200), "public": (200, 200)},
    "unconfirmed_registrant": {"staff": (404, 404), "participants": (404, 404), "public": (404, 404)},
    "other_registrant": {"staff": (404, 404), "participants": (404, 404), "public": (404, 404)},
    "other_staff": {"staff": (404, 404), "participants": (404, 404), "public": (404, 404)},
    "staff": {"staff": (200, 200), "participants": (200, 200), "public": (200, 200)},
}


def download(client, viewer: str, material: Material, fgd, other_meeting, users: dict):
    if viewer == "anonymous":
        return client.get(reverse("materials:public_download", kwargs={"code": fgd.code, "pk": material.pk}))
    if viewer in ("registrant", "unconfirmed_registrant", "other_registrant"):
        meeting = other_meeting if viewer == "other_registrant" else fgd
        state = "pending" if viewer == "unconfirmed_registrant" else "confirmed"
        reg = registrant(meeting, f"Peserta {viewer}", state=state)
        kwargs = {"code": reg.code, "token": reg.urls.token, "pk": material.pk}
        return client.get(reverse("materials:participant_download", kwargs=kwargs))
    login(client, users[viewer])
    code = other_meeting.code if viewer == "other_staff" else fgd.code
    own = client.get(reverse("materials:material_download", kwargs={"code": code, "pk": material.pk}))
    if viewer == "other_staff":
        # Nor through meeting A's own staff URL.
        assert (
            client.get(
                reverse("materials:material_download", kwargs={"code": fgd.code, "pk": material.pk})
            ).status_code
            == 404
        )
    return own


@pytest.mark.parametrize("ended", [False, True], ids=["before", "after"])
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_who_downloads_which_material(
    client, fgd, other_meeting, files, organizer, other_organizer, viewer, visibility, ended
):
    if ended:
        end(fgd)
    material = files[visibility]
    secret = f"RAHASIA-{visibility.upper()}".encode()
    assert secret in material.file.storage.open(material.file.name).read()  # there is something to leak

    response = download(
        client, viewer, material, fgd, other_meeting, {"staff": organizer, "other_staff": other_organizer}
    )

    assert response.status_code == EXPECTED[viewer][visibility][int(ended)]
    if response.status_code == 200:
        assert body(response) == secret_pdf(secret.decode())
        assert response["Content-Disposition"] == f'attachment; filename="paparan-{visibility}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert secret not in body(response)


def test_a_cancelled_or_draft_meeting_never_shows_public_materials(client, fgd, files):
    end(fgd)
    url = reverse("materials:public_download", kwargs={"code": fgd.code, "pk": files["public"].pk})
    assert client.get(url).status_code == 200
    for status in ("cancelled", "draft"):
        type(fgd).objects.filter(pk=fgd.pk).update(status=status)
        assert client.get(url).status_code == 404


def test_public_materials_appear_when_the_last_day_ends_in_the_meetings_time_zone(fgd, files, settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from materials import permissions

    last = fgd.days.order_by("-date").first()  # 23 September 2031, until 12.00 WIB
    wib = ZoneInfo("Asia/Jakarta")
    assert not permissions.has_ended(fgd, now=datetime(2031, 9, 23, 11, 59, tzinfo=wib))
    assert permissions.has_ended(fgd, now=datetime(2031, 9, 23, 12, 0, tzinfo=wib))
    type(fgd).objects.filter(pk=fgd.pk).update(timezone="Asia/Jayapura")  # WIT: two hours earlier
    fgd = type(fgd).objects.get(pk=fgd.pk)
    assert permissions.has_ended(fgd, now=datetime(2031, 9, 23, 10, 0, tzinfo=wib))
    assert last.date.day == 23


# Listings ---------------------------------------------------------------------------------------


def test_the_public_page_lists_only_public_materials_and_only_after_the_meeting(client, fgd, files):
    before = client.get(fgd.urls.public).content.decode()
    end(fgd)
    after = client.get(fgd.urls.public).content.decode()

    assert 'id="materials"' not in before
    assert "data-materials" not in before
    # Under its agenda item, inside the agenda (not in a panel: it has no meeting-wide material).
    agenda = after[
        after.index('id="agenda-heading"') : after.index("</section>", after.index('id="agenda-heading"'))
    ]
    assert agenda.count("data-materials") == 1
    assert "Paparan public" in agenda
    assert 'id="materials"' not in after
    assert reverse("materials:public_download", kwargs={"code": fgd.code, "pk": files["public"].pk}) in after
    for hidden in ("Paparan staff", "Paparan participants", "Rekaman internal", "rekaman-staf"):
        assert hidden not in after


def test_the_private_page_lists_participants_and_public_materials_with_the_token(client, fgd, files):
    reg = registrant(fgd, "Budi Santoso")
    pending = registrant(fgd, "Citra Lestari", state="pending")

    html = client.get(reg.urls.private).content.decode()
    pending_html = client.get(pending.urls.private).content.decode()

    for shown in ("participants", "public"):
        url = reverse(
            "materials:participant_download",
            kwargs={"code": reg.code, "token": reg.urls.token, "pk": files[shown].pk},
        )
        assert url in html
    assert "Paparan staff" not in html
    assert "Rekaman internal" not in html
    assert 'id="materials"' not in pending_html


@pytest.mark.parametrize("text", ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>'])
def test_hostile_titles_and_names_are_inert_in_every_page(client, fgd, item, organizer, text):
    from materials.services import materials as services
    from materials.services import upload_links

    link = upload_links.create(fgd, agenda_item=item, actor=organizer, name=f"Narasumber {text}")
    services.add_file(
        fgd,
        upload=upload(f"{text}.pdf", PDF),
        title=f"Paparan {text}",
        visibility="public",
        agenda_item=item,
        upload_link=link,
    )
    services.add_link(
        fgd, url="https://example.test/?q=<b>", title=f"Tautan {text}", visibility="public", actor=organizer
    )
    end(fgd)
    reg = registrant(fgd, "Budi Santoso")

    pages = [
        login(client, organizer).get(page(fgd)).content.decode(),
        client.get(fgd.urls.public).content.decode(),
        client.get(reg.urls.private).content.decode(),
        client.get(link.urls.page).content.decode(),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert escape(f"Paparan {text}") in html


def test_the_staff_page_runs_a_fixed_number_of_queries(
    client, fgd, item, files, organizer, django_assert_max_num_queries
):
    from materials.services import materials as services
    from materials.services import upload_links

    login(client, organizer)
    client.get(page(fgd))
    with django_assert_max_num_queries(40) as few:
        client.get(page(fgd))
    for n in range(10):
        link = upload_links.create(fgd, agenda_item=item, actor=organizer, name=f"Narasumber {n}")
        services.add_link(
            fgd, url=f"https://example.test/{n}", title=f"Tautan {n}", agenda_item=item, upload_link=link
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page(fgd))
