"""Property tests of the photo forms: whatever is posted to the edit form (any Unicode, control
characters, huge texts, missing, repeated or foreign fields, another meeting's day) or sent as a
file to the upload form, the answer is never a server error, a refused request changes nothing,
and an accepted edit changes the photo to exactly what the form says, never half of it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from materials.models import DocumentationPhoto
from materials.photo_forms import PhotoForm
from materials.services import photos as services
from tests.factories import MeetingDayFactory, MeetingFactory
from tests.fuzz_support import CHARACTERS, as_submitted, check, fuzz, post_data
from tests.materials.photo_samples import (
    fresh_private_storage,  # noqa: F401 (a fixture)
    image_bytes,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_private_storage")]

FIELDS = ("caption", "day_id", "order", "in_report")
DAYS = ("DAY1", "DAY2", "OTHER")


@pytest.fixture
def world(meeting, organizer):
    days = list(meeting.days.order_by("date"))
    other_day = MeetingDayFactory(meeting=MeetingFactory())
    (photo,) = services.add_photos(
        meeting,
        day=days[0],
        uploads=[services.Upload(upload("a.png", image_bytes("PNG")), "Pembukaan")],
        actor=organizer,
    )
    return {"photo": photo, "DAY1": days[0].pk, "DAY2": days[1].pk, "OTHER": other_day.pk}


def row(photo: DocumentationPhoto) -> tuple:
    return tuple(DocumentationPhoto.objects.filter(pk=photo.pk).values_list(*FIELDS).get())


def resolve(data: dict, world: dict) -> dict:
    def one(value):
        return str(world[value]) if value in DAYS else value

    return {
        k: [one(v) for v in value] if isinstance(value, list) else one(value) for k, value in data.items()
    }


@example(data={"caption": ["", ""], "day": "DAY2", "order": "3", "in_report": "on"})
@example(data={"caption": "Baru", "day": "OTHER", "order": "1", "in_report": "on"})
@example(data={"caption": "\x00", "day": "DAY2", "order": "1"})
@example(data={"caption": "x" * 600, "day": "DAY2", "order": "-1", "in_report": "on"})
@example(data={"caption": "Diskusi", "day": "DAY2", "order": "9" * 30})
@fuzz()
@given(
    data=post_data(
        {"caption": "Diskusi panel", "day": "DAY2", "order": "3", "in_report": "on"},
        day=st.sampled_from(DAYS),
    )
)
def test_the_photo_edit_form_never_fails_and_changes_all_or_nothing(client, organizer, world, data):
    client.force_login(organizer)
    photo = world["photo"]
    posted = resolve(data, world)
    url = reverse("materials:photo_edit", kwargs={"code": photo.meeting.code, "pk": photo.pk})
    seen = {}

    def send():
        seen["before"] = row(photo)
        response = client.post(url, posted)
        seen["after"] = row(photo)
        return response

    response, _changed = check(client, send)

    if response.status_code == 302:
        form = PhotoForm(as_submitted(posted), meeting=photo.meeting, photo=photo)
        assert form.is_valid()
        cleaned = form.cleaned_data
        assert seen["after"] == (
            services.clean_caption(cleaned["caption"]),
            cleaned["day"].pk,
            cleaned["order"],
            cleaned["in_report"],
        )
    else:
        assert response.status_code == 400
        assert seen["after"] == seen["before"]


@fuzz(max_examples=25)
@given(
    name=st.text(CHARACTERS, min_size=1, max_size=60),
    content=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from([image_bytes("PNG")[:n] for n in (8, 30, 60, 120)]),
        st.just(image_bytes("GIF")),
    ),
    captions=st.text(CHARACTERS, max_size=200),
)
def test_the_upload_form_never_fails_and_a_refusal_stores_nothing(
    client,
    organizer,
    world,
    fresh_private_storage,  # noqa: F811 (a fixture)
    name,
    content,
    captions,
):
    client.force_login(organizer)
    meeting = world["photo"].meeting
    url = reverse("materials:photo_add", kwargs={"code": meeting.code})
    stored_before = sorted(p.name for p in fresh_private_storage.rglob("*") if p.is_file())

    def send():
        return client.post(
            url, {"day": world["DAY1"], "files": [upload(name, content)], "captions": captions}
        )

    response, _changed = check(client, send)

    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert sorted(p.name for p in fresh_private_storage.rglob("*") if p.is_file()) == stored_before
