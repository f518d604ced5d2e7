"""The API's world: the permission matrix's (two meetings, a draft, minutes with an open
correction, a focal point) plus meeting B's approved minutes kept to its staff, and a token for
every user. Built once per module, rolled back after it (as tests/conftest.py's seeded_demo)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from accounts.models import User
from api.services import create_token
from meetings.models import Meeting
from minutes.models import Minutes
from minutes.services import recommendations as rec_services
from minutes.services import workflow
from minutes.services.preparation import prepare_minutes
from tests.factories import UserFactory
from tests.permission_matrix_data import build_world

# Text that only the staff of meeting B (and analysts) may read: B's minutes are approved but
# not published beyond its staff.
B_INTERNAL = "Rekomendasi internal rapat B"
DRAFT_REC = "Rahasia draf koreksi"
PUBLIC_REC = "Perkuat pengawasan P3MI"
DRAFT_MEETING = "Rapat Draf Tertutup"


def build_api_world() -> dict:
    world = build_world()
    org_b = User.objects.get(pk=world["users"]["org_b"])
    b = Meeting.objects.get(code=world["code_b"])
    minutes = prepare_minutes(b, author=org_b)
    rec_services.add_recommendation(minutes, author=org_b, text=B_INTERNAL)
    workflow.submit(minutes, by=org_b)
    workflow.approve(Minutes.objects.get(pk=minutes.pk), by=org_b)
    plain = UserFactory(email="warga@example.test", full_name="Pengguna Biasa")
    world["users"]["plain"] = plain.pk
    world["tokens"] = {}
    for key, pk in world["users"].items():
        _token, secret = create_token(User.objects.get(pk=pk), name=f"Token {key}")
        world["tokens"][key] = secret
    return world


@pytest.fixture(scope="module")
def api_world_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with translation.override("id"):
                world = build_api_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def api_world(api_world_once, db):
    return api_world_once


@pytest.fixture
def api(api_world):
    """get(path, as_="org_a") with that user's token; as_=None: no token."""

    class Api:
        def __init__(self):
            self.client = Client()

        def get(self, path, as_: str | None = "plain", token: str | None = None, **params):
            headers = {}
            secret = token or (api_world["tokens"][as_] if as_ else None)
            if secret:
                headers["Authorization"] = f"Bearer {secret}"
            return self.client.get(path, params, headers=headers)

    return Api()
