"""Error pages: styled, in the person's language, and the 500 page without context or database."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse

from tests.factories import UserFactory
from tests.participants.test_public_registration import without_csrf


def explode(request):
    raise RuntimeError("the database fell over")


def suspicious(request):
    raise SuspiciousOperation("tampered")


# This module doubles as the URLconf of the tests marked with it: the site plus two failing views.
urlpatterns = [
    path("explode/", explode),
    path("suspicious/", suspicious),
    path("", include("config.urls")),
]


def failing_context_processor(request):
    raise RuntimeError("context processors must not be needed by the 500 page")


def heading(body: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1).strip()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_secretary_opening_the_meeting_list_gets_the_indonesian_403_page(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("meetings:list"))

    body = response.content.decode()
    assert response.status_code == 403
    assert heading(body) == "Akses ditolak"
    assert '<html lang="id">' in body
    assert 'href="/static/css/sinergi.css"' in body
    assert "Anda tidak memiliki izin untuk membuka halaman ini." in body
    assert f'<a class="btn btn-primary" href="{reverse("dashboard")}">Ke dasbor</a>' in body


def test_the_403_page_in_english(client, secretary):
    client.force_login(secretary)

    body = english(client).get(reverse("meetings:list")).content.decode()

    assert heading(body) == "Access denied"
    assert "You do not have permission to open this page." in body


def test_unknown_address_gets_the_styled_404_page(client, db):
    response = client.get("/tidak-ada/")

    body = response.content.decode()
    assert response.status_code == 404
    assert heading(body) == "Halaman tidak ditemukan"
    assert 'href="/static/css/sinergi.css"' in body
    assert f'<a class="btn btn-primary" href="{reverse("home")}">Ke beranda</a>' in body


def test_the_404_page_does_not_repeat_the_address(client, db):
    paths = ("/%3Cscript%3Ealert(1)%3C/script%3E/", "/lain/")
    bodies = [without_csrf(client.get(path).content.decode()) for path in paths]

    # Every unknown address gets the same page (a private link's token is never echoed).
    assert bodies[0] == bodies[1]
    assert '<input name="next" type="hidden" value="/">' in bodies[0]


@pytest.mark.urls("tests.config.test_error_pages")
def test_an_unhandled_error_renders_the_500_page_without_context_processors(db, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": ["tests.config.test_error_pages.failing_context_processor"]},
        }
    ]
    client = Client(raise_request_exception=False)

    response = client.get("/explode/")

    body = response.content.decode()
    assert response.status_code == 500
    assert heading(body) == "Terjadi kesalahan"
    assert '<html lang="id">' in body
    assert "Silakan coba lagi dalam beberapa menit." in body


@pytest.mark.urls("tests.config.test_error_pages")
def test_the_500_page_in_english_needs_no_database(db, django_assert_num_queries):
    client = english(Client(raise_request_exception=False))

    with django_assert_num_queries(0):
        response = client.get("/explode/")

    assert response.status_code == 500
    assert heading(response.content.decode()) == "Something went wrong"


@pytest.mark.urls("tests.config.test_error_pages")
def test_a_bad_request_gets_the_styled_400_page(client, db):
    response = client.get("/suspicious/")

    assert response.status_code == 400
    assert heading(response.content.decode()) == "Permintaan tidak dapat diproses"


def test_a_request_for_an_unknown_host_gets_the_400_page(client, db):
    response = client.get("/", HTTP_HOST="sinergi.evil.example")

    assert response.status_code == 400
    assert heading(response.content.decode()) == "Permintaan tidak dapat diproses"


def test_a_form_without_its_csrf_token_gets_the_expired_form_page(db):
    user = UserFactory(email="budi@example.test")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "en"})

    body = response.content.decode()
    assert response.status_code == 403
    assert heading(body) == "Formulir kedaluwarsa"
    assert "muat ulang halaman" in body
