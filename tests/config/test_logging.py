"""JSON log lines carry the request id that the response names in X-Request-ID."""

import io
import json
import logging
import re

import pytest

from config.logging import JsonFormatter, RequestIdFilter, logging_config, request_id_var


@pytest.fixture
def json_log():
    """The root logger also writes, as production does, to a buffer: yields its parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)


def _not_found_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "django.request"]


@pytest.mark.django_db
def test_a_request_logs_json_with_the_id_of_its_response(client, json_log):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = _not_found_lines(json_log())
    assert line["request_id"] == request_id
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["status_code"] == 404
    assert line["exc_info"] is None
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "exc_info"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])


@pytest.mark.django_db
def test_the_proxys_sane_request_id_is_kept(client, json_log):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="nginx-7f3a.b_2")

    assert response["X-Request-ID"] == "nginx-7f3a.b_2"
    [line] = _not_found_lines(json_log())
    assert line["request_id"] == "nginx-7f3a.b_2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 65,
        'abc\n{"level": "INFO"}',
        "abc\n",
        "abc def",
        "<script>",
        "",
    ],
    ids=["too-long", "newline-forged-line", "trailing-newline", "space", "markup", "empty"],
)
def test_a_hostile_request_id_is_replaced(client, json_log, hostile):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=hostile)

    request_id = response["X-Request-ID"]
    assert request_id != hostile
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = _not_found_lines(json_log())
    assert line["request_id"] == request_id


def test_every_response_carries_an_id_and_ids_differ(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second


def test_sixty_four_characters_are_still_a_sane_id(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="A" * 64)["X-Request-ID"] == "A" * 64


def test_outside_a_request_the_id_is_null_and_the_context_is_restored(client, json_log):
    client.get("/healthz")
    assert request_id_var.get() is None

    logging.getLogger("sinergi.test").info("from a task")

    [line] = [line for line in json_log() if line["logger"] == "sinergi.test"]
    assert line["request_id"] is None
    assert line["level"] == "INFO"


def test_an_exception_is_one_line_with_its_traceback(json_log):
    token = request_id_var.set("req-1")
    try:
        try:
            raise ValueError("broken\nacross lines")
        except ValueError:
            logging.getLogger("sinergi.test").exception("Sending failed for %s", "email 7")
    finally:
        request_id_var.reset(token)

    [line] = [line for line in json_log() if line["logger"] == "sinergi.test"]
    assert line["message"] == "Sending failed for email 7"
    assert line["request_id"] == "req-1"
    assert line["level"] == "ERROR"
    assert "Traceback (most recent call last)" in line["exc_info"]
    assert "ValueError: broken\nacross lines" in line["exc_info"]


def test_formatter_writes_exactly_one_line_per_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "two\nlines", None, None)
    RequestIdFilter().filter(record)

    text = JsonFormatter().format(record)

    assert "\n" not in text
    assert json.loads(text)["message"] == "two\nlines"


def test_logging_config_refuses_an_unknown_format():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        logging_config("xml", "INFO")
    assert logging_config("json", "INFO")["handlers"]["console"]["stream"] == "ext://sys.stdout"
