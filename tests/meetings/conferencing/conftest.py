"""The fake Zoom fixtures (zoom_server, fake_zoom) live in tests/conftest.py."""
