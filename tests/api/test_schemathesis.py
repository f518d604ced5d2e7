"""Schemathesis against the OpenAPI description the app serves (/api/v1/schema/): every
operation, with a valid token, answers without a server error, with a status code the
description declares and a body that conforms to it."""

from __future__ import annotations

import traceback

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from api.serializers import MeetingSerializer

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
SCHEMA_PATH = "/api/v1/schema/?format=json"

schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_connection():
    """As Django's test client: the WSGI handler must not close the connection at the end of a
    request (it would, inside the test's transaction, and the world would be gone)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_served_description_has_every_operation():
    operations = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}

    assert operations == {
        ("GET", "/api/v1/meetings/"),
        ("GET", "/api/v1/meetings/{code}/"),
        ("GET", "/api/v1/meetings/{code}/agenda/"),
        ("GET", "/api/v1/days/"),
        ("GET", "/api/v1/recommendations/"),
        ("GET", "/api/v1/recommendations/{key}/"),
    }


# The world (tests/api/conftest.py) is built once per module; each example only reads it.
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("who", ["org_a", "plain"])
def test_every_operation_conforms(case, api_world, who):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world['tokens'][who]}"}, checks=CHECKS)


def test_real_objects_conform(api_world):
    """The generated paths rarely hit a real code or key: the real ones, as each user."""
    paths = [
        ("/api/v1/meetings/{code}/", {"code": api_world["code"]}),
        ("/api/v1/meetings/{code}/", {"code": api_world["code_draft"]}),
        ("/api/v1/meetings/{code}/agenda/", {"code": api_world["code"]}),
        ("/api/v1/recommendations/{key}/", {"key": api_world["key_x"]}),
        ("/api/v1/recommendations/{key}/", {"key": api_world["key_draft"]}),
        ("/api/v1/meetings/", {}),
        ("/api/v1/days/", {}),
        ("/api/v1/recommendations/", {}),
    ]
    statuses = set()
    for _who, secret in api_world["tokens"].items():
        for path, path_parameters in paths:
            case = schema[path]["GET"].Case(path_parameters=path_parameters, query={"page_size": 100})
            if "{" in path:
                case.query = {}
            response = case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
            statuses.add(response.status_code)
    assert statuses == {200, 404}


def test_a_view_that_breaks_the_description_fails(api_world, monkeypatch):
    """The checks catch a body that no longer matches the description."""
    monkeypatch.setattr(
        MeetingSerializer, "get_registrations", lambda self, meeting: {"confirmed_onsite": "many"}
    )
    case = schema["/api/v1/meetings/"]["GET"].Case(query={})

    with pytest.raises(FailureGroup) as raised:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {api_world['tokens']['plain']}"}, checks=CHECKS
        )

    report = "".join(traceback.format_exception(raised.value))
    assert "Response violates schema" in report
    assert '"many" is not of type "integer"' in report
