"""Property tests of the materials' forms (the staff's upload, edit and upload-link forms, the
speaker's upload page): whatever is posted (any Unicode, control characters, huge texts, hostile
file names and contents), the answer is never a server error, and a refused request changes
nothing: no row, no audit entry, no email, no stored file."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.storage import get_private_storage
from materials.services import upload_links
from tests.fuzz_support import check, fuzz, post_data
from tests.test_fuzz_staff_forms import DOCUMENTS, FILE_NAMES, upload

pytestmark = pytest.mark.django_db

CONTENT_TYPES = st.sampled_from(
    ["application/pdf", "text/html", "application/octet-stream", "", "image/png;x=\x7f"]
)
VISIBILITIES = st.sampled_from(["staff", "participants", "public", "everyone", ""])


def stored() -> set[str]:
    try:
        return set(get_private_storage().listdir("materials")[1])
    except FileNotFoundError:
        return set()


def post_upload(client, url, data, name, content, content_type, with_file):
    if with_file:
        data = data | {"file": upload(name, content, content_type)}
    before = stored()
    response, changed = check(client, lambda: client.post(url, data))
    if response.status_code != 302:
        assert stored() == before  # a refused upload leaves no file behind
        assert changed == []
    return response


@fuzz()
@given(
    data=post_data(
        {"agenda_item": "", "title": "Paparan", "visibility": "participants", "url": ""},
        visibility=VISIBILITIES,
    ),
    name=FILE_NAMES,
    content=DOCUMENTS,
    content_type=CONTENT_TYPES,
    with_file=st.booleans(),
)
def test_the_staff_upload_never_fails_and_refusals_change_nothing(
    client, organizer, fgd, data, name, content, content_type, with_file
):
    client.force_login(organizer)
    post_upload(
        client,
        reverse("materials:material_add", kwargs={"code": fgd.code}),
        data,
        name,
        content,
        content_type,
        with_file,
    )


@fuzz()
@given(
    data=post_data(
        {"title": "Paparan", "agenda_item": "", "visibility": "public", "order": "1"}, visibility=VISIBILITIES
    ),
)
def test_the_edit_form_never_fails_and_refusals_change_nothing(client, organizer, fgd, files, data):
    client.force_login(organizer)
    url = reverse("materials:material_edit", kwargs={"code": fgd.code, "pk": files["staff"].pk})
    response, _changed = check(client, lambda: client.post(url, data))
    assert response.status_code in (302, 400)


@fuzz()
@given(data=post_data({"agenda_item": "", "name": "Rendra", "email": "rendra@example.test", "send": "on"}))
def test_the_upload_link_form_never_fails_and_refusals_change_nothing(client, organizer, fgd, data):
    client.force_login(organizer)
    response, _changed = check(
        client, lambda: client.post(reverse("materials:upload_link_create", kwargs={"code": fgd.code}), data)
    )
    assert response.status_code in (302, 400)


@fuzz()
@given(
    data=post_data(
        {"title": "Slide", "visibility": "participants", "url": "https://example.test/slide"},
        visibility=VISIBILITIES,
    ),
    name=FILE_NAMES,
    content=DOCUMENTS,
    content_type=CONTENT_TYPES,
    with_file=st.booleans(),
)
def test_the_speakers_upload_never_fails_and_refusals_change_nothing(
    client, organizer, fgd, item, data, name, content, content_type, with_file, settings
):
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 0
    link = upload_links.create(fgd, agenda_item=item, actor=organizer)
    post_upload(client, link.urls.page, data, name, content, content_type, with_file)
