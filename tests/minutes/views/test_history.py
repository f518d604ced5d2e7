"""The history of a version: every revision, newest first, with its word diff; staff only."""

import pytest
from django.urls import reverse

from minutes.services import editing
from minutes.services.points import add_point
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_history_shows_each_revision_with_author_and_word_diff(client, item_section, notulis, chair):
    editing.update_section(item_section, author=notulis, base=0, summary="Data pengaduan naik.")
    editing.update_section(item_section, author=chair, base=1, summary="Data pengaduan <b>turun</b>.")
    point = add_point(item_section, author=notulis, text="Poin satu.", speaker_name="Peserta")
    editing.delete_point(point, author=chair, base=1)
    client.force_login(notulis)
    body = client.get(
        reverse("minutes:history", kwargs={"code": item_section.minutes.meeting.code})
    ).content.decode()
    assert '<del class="text-danger">naik.</del>' in body
    assert '<ins class="text-success">&lt;b&gt;turun&lt;/b&gt;.</ins>' in body
    assert body.index(f'data-revision="section-{item_section.pk}-2"') < body.index(
        f'data-revision="section-{item_section.pk}-1"'
    )
    assert f'data-revision="point-{point.pk}-2"' in body  # the deletion
    assert "Lismia Elita" in body
    assert "Dewi Notulis" in body


def test_history_is_paginated(client, item_section, notulis):
    for n in range(55):
        editing.update_section(item_section, author=notulis, base=n, summary=f"Versi {n}")
    client.force_login(notulis)
    target = reverse("minutes:history", kwargs={"code": item_section.minutes.meeting.code})
    first = client.get(target).content.decode()
    assert first.count("data-revision=") == 50
    second = client.get(target, {"page": 2, "version": 1}).content.decode()
    assert second.count("data-revision=") == 56 - 50 + 0  # 55 section saves + the heading's first


def test_history_is_not_shown_to_someone_outside_the_meeting(client, item_section, notulis):
    editing.update_section(item_section, author=notulis, base=0, summary="Rahasia.")
    client.force_login(UserFactory(email="stranger@example.test"))
    response = client.get(reverse("minutes:history", kwargs={"code": item_section.minutes.meeting.code}))
    assert response.status_code == 404
    assert b"Rahasia" not in response.content
