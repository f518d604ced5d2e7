"""The fake Zoom server, started once per test session, with Sinergi's settings pointed at it."""

import pytest
from django.core.cache import cache

from tests.zoomfake import ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, FakeZoom


@pytest.fixture(scope="session")
def zoom_server():
    server = FakeZoom().start()
    yield server
    server.stop()


@pytest.fixture
def fake_zoom(zoom_server, settings):
    """The fake, emptied, and the Zoom settings pointing at it (credentials set: Zoom is on)."""
    zoom_server.reset()
    settings.ZOOM_ACCOUNT_ID = ACCOUNT_ID
    settings.ZOOM_CLIENT_ID = CLIENT_ID
    settings.ZOOM_CLIENT_SECRET = CLIENT_SECRET
    settings.ZOOM_HOST_USER = "me"
    settings.ZOOM_API_BASE_URL = zoom_server.api_url
    settings.ZOOM_OAUTH_URL = zoom_server.oauth_url
    settings.ZOOM_TIMEOUT_SECONDS = 2
    settings.ZOOM_WEBHOOK_SECRET = "webhook-secret"
    cache.clear()
    yield zoom_server
    cache.clear()
