"""The Dokumentasi page through the real stack: uploading several photos, the grid, editing,
choosing for the report, deleting, the web copy and the original; and who gets none of it."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils.html import escape

from core.audit import describe, entries_for
from materials.models import DocumentationPhoto
from materials.services import photos as services
from participants.models import Registration
from tests.factories import MeetingDayFactory, MeetingFactory, UserFactory
from tests.fuzz_support import HOSTILE
from tests.materials.photo_samples import (
    GPS_IFD,
    camera_jpeg,
    declared_png,
    fresh_private_storage,  # noqa: F401 (a fixture)
    image_bytes,
    opened,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_private_storage")]


def stored_names() -> set[str]:
    storage = storages["private"]
    names = set()
    for folder in ("photos", "photos-web"):
        if storage.exists(folder):
            names |= {f"{folder}/{name}" for name in storage.listdir(folder)[1]}
    return names


def url(name: str, photo: DocumentationPhoto) -> str:
    return reverse(f"materials:{name}", kwargs={"code": photo.meeting.code, "pk": photo.pk})


@pytest.fixture
def day1(meeting):
    return meeting.days.order_by("date").first()


@pytest.fixture
def day2(meeting):
    return meeting.days.order_by("date").last()


@pytest.fixture
def photo(meeting, day1, organizer):
    """A photo with a caption, a name and GPS that must not leak."""
    (made,) = services.add_photos(
        meeting,
        day=day1,
        uploads=[services.Upload(upload("RAHASIA-NAMA.jpg", camera_jpeg()), "RAHASIA-KETERANGAN")],
        actor=organizer,
    )
    return made


@pytest.fixture
def other_staff(db):
    """The organizer and the secretary of another meeting, which has a photo of its own."""
    organizer_b = UserFactory(email="org-b@example.test", can_organize=True)
    secretary_b = UserFactory(email="sec-b@example.test")
    meeting_b = MeetingFactory(organizers=[organizer_b], secretaries=[secretary_b])
    day = MeetingDayFactory(meeting=meeting_b)
    services.add_photos(
        meeting_b,
        day=day,
        uploads=[services.Upload(upload("b.png", image_bytes("PNG")), "B")],
        actor=organizer_b,
    )
    return {"organizer": organizer_b, "secretary": secretary_b, "day": day}


def test_staff_upload_several_photos_of_a_day_with_their_captions(client, meeting, day2, secretary):
    client.force_login(secretary)
    page = reverse("materials:photos", kwargs={"code": meeting.code})

    response = client.post(
        reverse("materials:photo_add", kwargs={"code": meeting.code}),
        {
            "day": day2.pk,
            "files": [
                upload("pembukaan.jpg", camera_jpeg()),
                upload("diskusi.png", image_bytes("PNG"), "image/png"),
            ],
            "captions": "Pembukaan FGD\nDiskusi panel",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == page
    photos = list(DocumentationPhoto.objects.filter(meeting=meeting).order_by("order"))
    assert [(p.day, p.caption, p.display_name, p.mime, p.order) for p in photos] == [
        (day2, "Pembukaan FGD", "pembukaan.jpg", "image/jpeg", 0),
        (day2, "Diskusi panel", "diskusi.png", "image/png", 1),
    ]
    assert [(p.width, p.height, p.uploaded_by) for p in photos] == [
        (2000, 3000, secretary),
        (800, 600, secretary),
    ]
    assert stored_names() == {n for p in photos for n in (p.original.name, p.web.name)}
    assert "pembukaan" not in photos[0].original.name
    [entry] = entries_for(meeting).filter(action="materials.photos_added")
    assert (
        str(describe(entry))
        == "Sekretaris Rapat menambahkan 2 foto dokumentasi pada Selasa, 23 September 2031"
    )

    grid = client.get(page)
    assert grid.status_code == 200
    html = grid.content.decode()
    assert "Pembukaan FGD" in html
    assert f'src="{url("photo_web", photos[0])}"' in html


def test_a_single_caption_line_is_every_photo_caption(client, meeting, day1, organizer):
    client.force_login(organizer)
    client.post(
        reverse("materials:photo_add", kwargs={"code": meeting.code}),
        {
            "day": day1.pk,
            "files": [upload("a.png", image_bytes("PNG")), upload("b.png", image_bytes("PNG"))],
            "captions": "Sesi foto bersama",
        },
    )

    assert list(DocumentationPhoto.objects.values_list("caption", flat=True)) == ["Sesi foto bersama"] * 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (upload("catatan.jpg", b"bukan foto\n" * 50), "catatan.jpg: Ini bukan foto yang dapat dibaca"),
        (
            upload("bom.png", declared_png(30000, 30000), "image/png"),
            "bom.png: Gambar ini menyatakan lebih banyak piksel",
        ),
    ],
    ids=["text-named-jpg", "bomb"],
)
def test_one_bad_file_refuses_the_whole_batch_and_stores_nothing(
    client, meeting, day1, organizer, bad, message
):
    client.force_login(organizer)

    response = client.post(
        reverse("materials:photo_add", kwargs={"code": meeting.code}),
        {"day": day1.pk, "files": [upload("baik.png", image_bytes("PNG"), "image/png"), bad]},
    )

    assert response.status_code == 400
    [error] = response.context["upload_form"].errors["files"]
    assert error.startswith(message)
    assert DocumentationPhoto.objects.count() == 0
    assert stored_names() == set()


def test_a_photo_over_the_limit_is_refused(client, meeting, day1, organizer, settings):
    settings.SINERGI_PHOTO_MAX_BYTES = 1000
    client.force_login(organizer)

    response = client.post(
        reverse("materials:photo_add", kwargs={"code": meeting.code}),
        {"day": day1.pk, "files": [upload("besar.jpg", camera_jpeg())]},
    )

    assert response.status_code == 400
    [error] = response.context["upload_form"].errors["files"]
    assert error.startswith("besar.jpg: Foto terlalu besar")
    assert DocumentationPhoto.objects.count() == 0


def test_another_meeting_day_or_no_file_is_refused(client, meeting, organizer, other_staff):
    client.force_login(organizer)
    add = reverse("materials:photo_add", kwargs={"code": meeting.code})

    other_day = client.post(
        add, {"day": other_staff["day"].pk, "files": [upload("a.png", image_bytes("PNG"))]}
    )
    no_file = client.post(add, {"day": meeting.days.first().pk})

    assert other_day.status_code == no_file.status_code == 400
    assert list(other_day.context["upload_form"].errors) == ["day"]
    assert no_file.context["upload_form"].errors["files"] == ["Pilih setidaknya satu foto."]
    assert DocumentationPhoto.objects.filter(meeting=meeting).count() == 0


def test_the_web_copy_is_served_inline_and_the_original_as_uploaded(client, photo, organizer):
    client.force_login(organizer)

    web = client.get(url("photo_web", photo))
    original = client.get(url("photo_original", photo))

    web_bytes = b"".join(web.streaming_content)
    assert web["Content-Type"] == "image/jpeg"
    assert web["Content-Disposition"] == 'inline; filename="RAHASIA-NAMA.jpg"'
    assert web["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
    assert dict(opened(web_bytes).getexif()) == {}
    original_bytes = b"".join(original.streaming_content)
    assert original_bytes == camera_jpeg()
    assert opened(original_bytes).getexif().get_ifd(GPS_IFD)  # the record keeps its EXIF
    assert original["Content-Disposition"] == 'attachment; filename="RAHASIA-NAMA.jpg"'
    assert original["X-Content-Type-Options"] == "nosniff"


def test_editing_a_photo_changes_its_caption_day_order_and_report_choice(client, photo, day2, organizer):
    client.force_login(organizer)
    assert client.get(url("photo_edit", photo)).status_code == 200

    response = client.post(
        url("photo_edit", photo),
        {"caption": "  Pembukaan\u202e FGD  ", "day": day2.pk, "order": "4", "in_report": "on"},
    )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.day, photo.order, photo.in_report) == ("Pembukaan FGD", day2, 4, True)
    [entry] = entries_for(photo.meeting).filter(action="materials.photo_changed")
    assert entry.data["fields"] == ["caption", "day", "order", "in_report"]


def test_a_refused_edit_changes_nothing(client, photo, organizer, other_staff):
    client.force_login(organizer)

    response = client.post(
        url("photo_edit", photo),
        {"caption": "Baru", "day": other_staff["day"].pk, "order": "-1", "in_report": "on"},
    )

    assert response.status_code == 400
    assert sorted(response.context["form"].errors) == ["day", "order"]
    photo.refresh_from_db()
    assert (photo.caption, photo.order, photo.in_report) == ("RAHASIA-KETERANGAN", 0, False)


def test_the_grid_switch_chooses_photos_for_the_report_in_day_order(
    client, meeting, day1, day2, photo, organizer
):
    (later,) = services.add_photos(
        meeting, day=day2, uploads=[services.Upload(upload("b.png", image_bytes("PNG")))], actor=organizer
    )
    client.force_login(organizer)

    client.post(url("photo_report", later), {"in_report": "1"})
    client.post(url("photo_report", photo), {"in_report": "1"})
    assert list(services.report_photos(meeting)) == [photo, later]
    client.post(url("photo_report", later), {"in_report": "0"})

    assert list(services.report_photos(meeting)) == [photo]


def test_deleting_a_photo_asks_first_then_removes_its_files(
    client, photo, organizer, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    names = {photo.original.name, photo.web.name}
    assert stored_names() == names

    confirm = client.get(url("photo_delete", photo))
    assert confirm.status_code == 200
    assert DocumentationPhoto.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("photo_delete", photo))

    assert response.status_code == 302
    assert DocumentationPhoto.objects.count() == 0
    assert stored_names() == set()
    [entry] = entries_for(photo.meeting).filter(action="materials.photo_deleted")
    assert str(describe(entry)) == "Lismia Elita menghapus foto dokumentasi RAHASIA-NAMA.jpg"


def test_the_meeting_page_links_to_the_documentation(client, meeting, secretary):
    client.force_login(secretary)

    html = client.get(meeting.urls.detail).content.decode()

    assert f'href="{reverse("materials:photos", kwargs={"code": meeting.code})}" id="photos-link"' in html


PHOTO_PAGES = ("photo_edit", "photo_delete", "photo_web", "photo_original")


def test_strangers_and_other_meetings_staff_get_nothing_of_the_photos(client, photo, other_staff, plain_user):
    # First: the photo is there, and its own staff see it.
    client.force_login(photo.meeting.organizers.get())
    assert (
        "RAHASIA-KETERANGAN"
        in client.get(reverse("materials:photos", kwargs={"code": photo.meeting.code})).content.decode()
    )
    page = reverse("materials:photos", kwargs={"code": photo.meeting.code})
    urls = [page, *(url(name, photo) for name in PHOTO_PAGES)]

    for user in (other_staff["organizer"], other_staff["secretary"], plain_user):
        client.force_login(user)
        for address in urls:
            response = client.get(address)
            assert response.status_code == 404, (user, address)
            assert b"RAHASIA" not in response.content
        for address in (url("photo_report", photo), url("photo_delete", photo), url("photo_edit", photo)):
            assert client.post(address, {"in_report": "1", "caption": "x"}).status_code == 404
    client.logout()
    for address in urls:
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    photo.refresh_from_db()
    assert (photo.caption, photo.in_report) == ("RAHASIA-KETERANGAN", False)
    assert DocumentationPhoto.objects.filter(pk=photo.pk).exists()


def test_a_registrant_private_page_shows_no_staff_photo(client, photo):
    registration = Registration.objects.create(
        meeting=photo.meeting,
        full_name="Peserta Satu",
        email="peserta@example.test",
        mode=Registration.Mode.ONLINE,
        state=Registration.State.CONFIRMED,
    )

    private = client.get(registration.urls.private)

    assert private.status_code == 200
    html = private.content.decode()
    assert "RAHASIA" not in html
    assert "/photos/" not in html
    # The registrant holds no account: every photo address sends them to the login.
    assert client.get(url("photo_web", photo)).status_code == 302


@pytest.mark.parametrize("text", [h.replace("\x00", "") for h in HOSTILE])
def test_hostile_captions_and_file_names_are_inert_on_the_pages(client, meeting, day1, organizer, text):
    (made,) = services.add_photos(
        meeting,
        day=day1,
        uploads=[services.Upload(upload(f"{text}.png", image_bytes("PNG")), text)],
        actor=organizer,
    )
    client.force_login(organizer)

    for address in (
        reverse("materials:photos", kwargs={"code": meeting.code}),
        url("photo_edit", made),
        url("photo_delete", made),
    ):
        html = client.get(address).content.decode()
        assert "<script>alert(1)" not in html
        assert '"><img src=x onerror' not in html
        assert escape(made.caption) in html or not made.caption
