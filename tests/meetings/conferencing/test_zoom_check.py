"""`manage.py zoom_check` against the fake Zoom: what works is OK, what does not is FAILED."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The command speaks the installation's language (Indonesian by default); these tests read
    its English, and the last one its Indonesian."""
    with translation.override("en"):
        yield


def run(**kwargs) -> str:
    out = io.StringIO()
    call_command("zoom_check", stdout=out, no_color=True, **kwargs)
    return out.getvalue()


def run_failing() -> tuple[str, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("zoom_check", stdout=out, no_color=True)
    return out.getvalue(), str(failure.value)


def test_with_good_credentials_every_check_is_ok(fake_zoom):
    output = run()
    lines = output.splitlines()
    assert lines[0] == f"Zoom API {fake_zoom.api_url}, tokens from {fake_zoom.oauth_url}"
    assert lines[1] == "OK       access token: received, valid for 3599 s; scopes: meeting:write"
    assert (
        lines[2] == "         No recording scope: transcripts from Zoom's cloud recordings cannot be fetched."
    )
    assert lines[3] == "OK       meetings of the host “me”: 0 meetings listed"
    assert lines[4] == "ZOOM_WEBHOOK_SECRET is set: Zoom's webhooks can be verified."
    assert lines[5] == "Every Zoom check passed."
    # One token for both checks, and the listing went to the host's meetings with it.
    assert fake_zoom.tokens == ["token-1"]
    listing = fake_zoom.calls("GET")
    assert [(r.path, r.headers["Authorization"]) for r in listing] == [
        ("/users/me/meetings", "Bearer token-1")
    ]


def test_a_wrong_secret_fails_with_zooms_message_and_a_non_zero_exit(fake_zoom, settings):
    settings.ZOOM_CLIENT_SECRET = "not-the-secret"
    output, error = run_failing()
    assert output.splitlines() == [
        f"Zoom API {fake_zoom.api_url}, tokens from {fake_zoom.oauth_url}",
        "FAILED   access token: Zoom 401: Invalid client_id or client_secret",
        "SKIPPED  the host's meetings: not tried without a token",
        "ZOOM_WEBHOOK_SECRET is set: Zoom's webhooks can be verified.",
    ]
    assert error == "1 Zoom check failed."
    assert fake_zoom.calls() == []
    assert "not-the-secret" not in output + error  # the secret itself is never printed


def test_a_refused_listing_fails_with_zooms_message(fake_zoom):
    fake_zoom.fail(
        "GET",
        "/users/me/meetings",
        400,
        body={"code": 4711, "message": "Invalid access token, does not contain scopes:[meeting:read]."},
    )
    output, error = run_failing()
    assert output.splitlines()[1].startswith("OK       access token:")
    assert (
        "FAILED   meetings of the host “me”: Zoom 400 (code 4711): "
        "Invalid access token, does not contain scopes:[meeting:read]."
    ) in output.splitlines()
    assert error == "1 Zoom check failed."


def test_zoom_unreachable_fails(fake_zoom, settings):
    settings.ZOOM_OAUTH_URL = "http://127.0.0.1:9/oauth/token"  # the discard port: nothing listens
    output, error = run_failing()
    assert "FAILED   access token: no answer from Zoom (ConnectionError)" in output.splitlines()
    assert error == "1 Zoom check failed."


def test_without_credentials_the_manual_provider_is_used(settings):
    settings.ZOOM_ACCOUNT_ID = settings.ZOOM_CLIENT_ID = settings.ZOOM_CLIENT_SECRET = ""
    settings.ZOOM_WEBHOOK_SECRET = ""
    assert run().splitlines() == [
        "Zoom is not configured: online rooms use the manual provider (a join link entered by hand). "
        "Set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET to create Zoom meetings.",
        "ZOOM_WEBHOOK_SECRET is not set: Zoom's webhooks (attendance, meeting ended, transcripts) "
        "cannot be verified.",
    ]


def test_partly_set_credentials_name_what_is_missing(settings):
    settings.ZOOM_ACCOUNT_ID, settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = "acct", "", ""
    output = run()
    assert (
        output.splitlines()[0]
        == "Zoom is only partly configured: ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET not set."
    )
    assert "manual provider" in output


def test_the_command_speaks_indonesian_by_default(fake_zoom, settings):
    settings.ZOOM_CLIENT_SECRET = "not-the-secret"
    with translation.override(settings.LANGUAGE_CODE):
        output, error = run_failing()
    assert output.splitlines()[1:3] == [
        "GAGAL    token akses: Zoom 401: Invalid client_id or client_secret",
        "DILEWATI rapat milik host: tidak dicoba tanpa token",
    ]
    assert error == "1 pemeriksaan Zoom gagal."
