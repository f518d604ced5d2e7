"""The speaker's private upload page: the agenda slot, their own uploads, uploading a file or a
link, deleting their own (and nobody else's); a revoked or tampered link is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEntry
from materials.models import Material
from materials.services import materials as services
from materials.services import upload_links

from .conftest import EXE, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(fgd, item, organizer):
    return upload_links.create(fgd, agenda_item=item, actor=organizer)


def test_the_page_shows_the_agenda_slot_and_only_this_links_uploads(client, fgd, item, link, files):
    own = services.add_file(
        fgd, upload=upload("slide.pdf", PDF), title="Slide Rendra", agenda_item=item, upload_link=link
    )

    response = client.get(link.urls.page)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Paparan Narasumber" in html
    assert "Senin, 22 September 2031, 10.00–12.00 WIB" in html
    assert "Materi Rendra Setiawan" in html
    assert "Slide Rendra" in html
    for other in files.values():
        assert other.title not in html  # the staff's materials are not the speaker's business
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert (
        reverse(
            "materials:speaker_download", kwargs={"pk": link.pk, "token": link.urls.token, "material": own.pk}
        )
        in html
    )


def test_the_speaker_uploads_a_file_and_a_link_to_their_agenda_item(client, fgd, item, link):
    posted = client.post(
        link.urls.page,
        {"title": "", "visibility": "participants", "file": upload("C:\\Users\\r\\Paparan Final.pdf", PDF)},
    )
    linked = client.post(
        link.urls.page, {"title": "Video", "visibility": "public", "url": "https://example.test/v"}
    )

    assert (posted.status_code, linked.status_code) == (302, 302)
    assert list(
        Material.objects.values_list("title", "display_name", "agenda_item", "upload_link", "uploaded_by")
    ) == [
        ("Paparan Final", "Paparan Final.pdf", item.pk, link.pk, None),
        ("Video", "", item.pk, link.pk, None),
    ]
    link.refresh_from_db()
    assert link.last_used_at is not None
    entry = AuditEntry.objects.filter(action="materials.added").order_by("pk").first()
    assert entry.actor is None
    assert entry.data["by_speaker"] is True
    assert "Rendra" not in str(entry.data)


def test_a_wrong_file_on_the_speakers_page_is_refused_and_nothing_saved(client, link):
    response = client.post(link.urls.page, {"visibility": "participants", "file": upload("paparan.pdf", EXE)})

    assert response.status_code == 400
    assert "Jenis berkas ini tidak diterima" in response.content.decode()
    assert Material.objects.count() == 0


def test_the_speaker_deletes_their_own_upload_and_nobody_elses(
    client, fgd, item, link, files, django_capture_on_commit_callbacks
):
    own = services.add_file(fgd, upload=upload("slide.pdf", PDF), agenda_item=item, upload_link=link)
    other_link = upload_links.create(fgd, agenda_item=item, actor=None, name="Narasumber Lain")
    theirs = services.add_file(fgd, upload=upload("lain.pdf", PDF), agenda_item=item, upload_link=other_link)

    def delete(material):
        return client.post(
            reverse(
                "materials:speaker_delete",
                kwargs={"pk": link.pk, "token": link.urls.token, "material": material.pk},
            )
        )

    assert delete(theirs).status_code == 404
    assert delete(files["staff"]).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert delete(own).status_code == 302
    assert sorted(Material.objects.values_list("pk", flat=True)) == sorted(
        [theirs.pk, *(m.pk for m in files.values())]
    )
    assert not own.file.storage.exists(own.file.name)


def test_a_revoked_or_tampered_link_is_a_404(client, fgd, item, link, organizer):
    material = services.add_file(fgd, upload=upload("slide.pdf", PDF), agenda_item=item, upload_link=link)
    page, token = link.urls.page, link.urls.token
    download = reverse(
        "materials:speaker_download", kwargs={"pk": link.pk, "token": token, "material": material.pk}
    )
    assert client.get(download).status_code == 200
    tampered = reverse(
        "materials:speaker_upload",
        kwargs={"pk": link.pk, "token": token[:-1] + ("A" if token[-1] != "A" else "B")},
    )
    assert client.get(tampered).status_code == 404

    upload_links.revoke(link, actor=organizer)

    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert (
        client.post(page, {"visibility": "public", "url": "https://example.test", "title": "x"}).status_code
        == 404
    )
    assert Material.objects.count() == 1


def test_staff_make_copy_and_revoke_links_on_the_materials_page(client, fgd, item, organizer, mailoutbox):
    client.force_login(organizer)
    url = reverse("materials:upload_link_create", kwargs={"code": fgd.code})

    made = client.post(url, {"agenda_item": item.pk, "name": "", "email": "", "send": "on"})
    refused = client.post(url, {"agenda_item": "", "name": "", "email": ""})

    assert made.status_code == 302
    assert refused.status_code == 400
    assert "Isi nama narasumber" in refused.content.decode()
    link = fgd.upload_links.get()
    html = client.get(reverse("materials:materials", kwargs={"code": fgd.code})).content.decode()
    assert f'data-copy-link="http://testserver{link.urls.page}"' in html
    revoked = client.post(reverse("materials:upload_link_revoke", kwargs={"code": fgd.code, "pk": link.pk}))
    assert revoked.status_code == 302
    html = client.get(reverse("materials:materials", kwargs={"code": fgd.code})).content.decode()
    assert "data-copy-link" not in html
    assert 'data-active="0"' in html


def test_the_emailed_link_reaches_the_speaker(fgd, item, organizer, run_tasks, mailoutbox):
    link = upload_links.create(fgd, agenda_item=item, actor=organizer, send=True)

    run_tasks()

    (email,) = mailoutbox
    assert email.to == ["rendra@kemnaker.test"]
    assert email.subject == "Materi paparan Anda untuk FGD Pengawasan P3MI"
    assert f"http://testserver{link.urls.page}" in email.body
    assert "Paparan Narasumber" in email.body


def test_the_speakers_posts_are_rate_limited(client, link, settings):
    from django.core.cache import cache

    cache.clear()
    settings.SINERGI_REGISTRATION_RATE_PER_MINUTE = 1
    data = {"title": "Video", "visibility": "public", "url": "https://example.test/v"}

    first = client.post(link.urls.page, data)
    second = client.post(link.urls.page, data)

    assert (first.status_code, second.status_code) == (302, 429)
    assert second["X-Robots-Tag"] == "noindex, nofollow"
    assert Material.objects.count() == 1
    cache.clear()
