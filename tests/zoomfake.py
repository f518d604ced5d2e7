"""A fake Zoom API on 127.0.0.1, for the real zoomus client: the outer boundary of the tests.

It answers the endpoints of ../shared/reference/zoom/zoom-meeting-api-subset.json, validating
each request against that OpenAPI description with openapi-core (paths, methods, parameters,
required fields, types) and refusing what Zoom would refuse. Where the subset is stricter than
Zoom documents (domain.md), the fake follows Zoom: `start_time` may be local time with a
`timezone`. Recordings, outside the subset, are answered as Zoom's reference describes.

Tests read what it received (`fake.requests`) and script faults (`fake.fail(...)`).
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

# A copy of ../shared/reference/zoom/zoom-meeting-api-subset.json, so CI needs nothing outside the repository.
SPEC_PATH = Path(__file__).resolve().parent / "data" / "zoom-meeting-api-subset.json"
CLIENT_ID, CLIENT_SECRET, ACCOUNT_ID = "fake-client", "fake-secret", "fake-account"
PASSCODE_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@-_*")


def _spec(base_url: str) -> dict:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": f"{base_url}/v2"}]
    # Zoom accepts local start times together with `timezone` (domain.md): not an RFC 3339 date-time.
    for path in spec["paths"].values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            # `userId` is an id, an email or "me": "me" matches two branches of the subset's oneOf.
            for parameter in operation.get("parameters", []):
                if "oneOf" in parameter.get("schema", {}):
                    parameter["schema"]["anyOf"] = parameter["schema"].pop("oneOf")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            properties = body.get("schema", {}).get("properties", {})
            if "start_time" in properties:
                properties["start_time"].pop("format", None)
    return spec


def parse_start(value: str, zone: str | None) -> datetime:
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    local = datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(zone or "UTC"))
    return local.astimezone(UTC)


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Received:
    method: str
    path: str
    query: dict
    body: dict | None
    headers: dict


@dataclass
class Fault:
    method: str
    path: str  # a prefix of the path after /v2 ("/users/me/meetings"), or "/oauth/token"
    status: int = 500
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (beyond the client's timeout: a timeout)
    then_handle: bool = False  # after the delay, answer normally (the call did happen)


class FakeZoom:
    def __init__(self):
        self.reset()
        self._ids = itertools.count(81234567890)
        self._lock = threading.Lock()
        self.server = None
        self.base_url = ""
        self.openapi = None

    def reset(self) -> None:
        """Forget every meeting, request, token and fault (the server keeps running)."""
        self.requests: list[Received] = []
        self.meetings: dict[int, dict] = {}
        self.registrants: dict[int, list[dict]] = {}
        self.reports: dict[str, list[dict]] = {}  # meeting id → participant rows
        self.recordings: dict[str, dict] = {}
        self.files: dict[str, bytes] = {}  # download path ("/rec/download/...") → the file's bytes
        self.download_tokens: set[str] = set()  # as a webhook's download_token
        self.faults: list[Fault] = []
        self.tokens: list[str] = []
        self.expired: set[str] = set()
        self.created = 0  # meetings created (to tell duplicates)

    # Control ---------------------------------------------------------------------------------

    def start(self) -> FakeZoom:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.openapi = OpenAPI.from_dict(_spec(self.base_url))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v2"

    @property
    def oauth_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    def fail(self, method: str, path: str, status: int = 500, **kwargs) -> None:
        self.faults.append(Fault(method, path, status, **kwargs))

    def expire_tokens(self) -> None:
        """Every token given so far answers 401 code 124 from now on."""
        self.expired.update(self.tokens)

    def calls(self, method: str | None = None, prefix: str = "") -> list[Received]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method)
            and r.path.startswith(prefix)
            and r.path != "/oauth/token"
        ]

    # HTTP ------------------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        path = request.path.removeprefix("/v2") if request.path != "/oauth/token" else request.path
        body = None
        if request.data:
            try:
                body = json.loads(request.data)
            except ValueError:
                body = {"_raw": request.get_data(as_text=True)}
        with self._lock:
            self.requests.append(
                Received(request.method, path, dict(request.args), body, dict(request.headers))
            )
            fault = next(
                (f for f in self.faults if f.method == request.method and path.startswith(f.path)), None
            )
            if fault is not None:
                self.faults.remove(fault)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if not fault.then_handle:
                return self.json(
                    fault.body or {"code": fault.status, "message": "fault"}, fault.status, fault.headers
                )
        if path == "/oauth/token":
            return self.token(request)
        if path.startswith(("/rec/download/", "/storage/")):
            return self.download(request, path)
        denied = self.authorize(request)
        if denied is not None:
            return denied
        if not path.startswith("/meetings/") or not path.endswith("/recordings"):
            result = self.openapi.unmarshal_request(WerkzeugOpenAPIRequest(request))
            if result.errors:
                return self.json({"code": 300, "message": "; ".join(str(e) for e in result.errors)}, 400)
        with self._lock:
            return self.route(request.method, path, request.args, body or {})

    def json(self, data, status: int = 200, headers: dict | None = None) -> Response:
        if status == 204:
            return Response(status=204, headers=headers or {})
        return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers or {})

    def token(self, request: Request) -> Response:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = request.form
        if request.headers.get("Authorization") != expected:
            return self.json({"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, 401)
        if form.get("grant_type") != "account_credentials" or form.get("account_id") != ACCOUNT_ID:
            return self.json({"reason": "unsupported grant type", "error": "unsupported_grant_type"}, 400)
        token = f"token-{len(self.tokens) + 1}"
        self.tokens.append(token)
        return self.json(
            {"access_token": token, "token_type": "bearer", "expires_in": 3599, "scope": "meeting:write"}
        )

    def download(self, request: Request, path: str) -> Response:
        """A recording file, as Zoom serves it: with the webhook's download token or an access token
        (`?access_token=` or a Bearer header), a redirect to its storage; 401 without one."""
        if path.startswith("/storage/"):
            name = path.removeprefix("/storage")
            if name not in self.files or request.args.get("sig") != "signed":
                return Response("denied", status=403)
            return Response(self.files[name], mimetype="text/vtt")
        token = request.args.get("access_token") or request.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        if token in self.expired or token not in self.download_tokens | set(self.tokens):
            return self.json({"code": 124, "message": "Invalid access token."}, 401)
        if path not in self.files:
            return self.json({"code": 3301, "message": "This recording does not exist."}, 404)
        return Response(status=302, headers={"Location": f"{self.base_url}/storage{path}?sig=signed"})

    def authorize(self, request: Request) -> Response | None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        if token in self.expired:
            return self.json({"code": 124, "message": "Access token is expired."}, 401)
        if not header.startswith("Bearer ") or token not in self.tokens:
            return self.json({"code": 124, "message": "Invalid access token."}, 401)
        return None

    # Endpoints -------------------------------------------------------------------------------

    def route(self, method: str, path: str, query, body: dict) -> Response:
        parts = path.strip("/").split("/")
        if parts[0] == "users" and len(parts) == 3 and parts[2] == "meetings":
            return self.create(body) if method == "POST" else self.list_meetings()
        if parts[0] == "meetings" and len(parts) >= 2:
            meeting = self.meetings.get(int(parts[1])) if parts[1].isdigit() else None
            if len(parts) == 3 and parts[2] == "recordings":
                found = self.recordings.get(parts[1])
                return (
                    self.json(found) if found else self.json({"code": 3301, "message": "No recording."}, 404)
                )
            if meeting is None or meeting.get("deleted"):
                return self.json({"code": 3001, "message": "Meeting does not exist."}, 404)
            if len(parts) == 2:
                if method == "GET":
                    return self.json(self.shown(meeting))
                if method == "PATCH":
                    return self.update(meeting, query.get("occurrence_id"), body)
                if method == "DELETE":
                    return self.delete(meeting, query.get("occurrence_id"))
            if parts[2] == "registrants" and len(parts) == 3:
                if method == "POST":
                    return self.add_registrant(meeting, body)
                return self.json({"registrants": self.registrants.get(meeting["id"], []), "total_records": 0})
            if parts[2] == "batch_registrants":
                return self.batch(meeting, body)
            if parts[2] == "registrants" and parts[3] == "status":
                return self.registrant_status(meeting, body)
        if parts[0] == "report" and parts[1] == "meetings":
            return self.report(parts[2], query)
        return self.json({"code": 404, "message": "not here"}, 404)

    def create(self, body: dict) -> Response:
        password = body.get("password", "")
        if password and (len(password) > 10 or not set(password) <= PASSCODE_CHARACTERS):
            return self.json({"code": 300, "message": "Invalid password."}, 400)
        meeting_id = next(self._ids)
        self.created += 1
        start = parse_start(body["start_time"], body.get("timezone")) if body.get("start_time") else None
        meeting = {
            "id": meeting_id,
            "uuid": f"uuid{meeting_id}==",
            "host_id": "host-1",
            "topic": body.get("topic", ""),
            "agenda": body.get("agenda", ""),
            "type": body.get("type", 2),
            "start_time": z(start) if start else None,
            "duration": body.get("duration", 60),
            "timezone": body.get("timezone", "UTC"),
            "password": password or "fake123",
            "settings": copy.deepcopy(body.get("settings", {})),
            "join_url": f"https://zoom.example/j/{meeting_id}?pwd=x",
            "start_url": f"https://zoom.example/s/{meeting_id}?zak=fresh-{len(self.requests)}",
            "recurrence": body.get("recurrence"),
            "created_at": z(datetime.now(UTC)),
        }
        self.occur(meeting)
        self.meetings[meeting_id] = meeting
        return self.json(self.shown(meeting), 201)

    def occur(self, meeting: dict) -> None:
        """(Re)make a recurring meeting's occurrences, as Zoom does on create and when the series'
        start, duration or recurrence changes (deleted occurrences come back; ids are start times
        in milliseconds)."""
        if meeting["type"] != 8 or not meeting["start_time"]:
            meeting.pop("occurrences", None)
            return
        start = parse_start(meeting["start_time"], None)
        recurrence = meeting.get("recurrence") or {}
        step = {1: timedelta(days=recurrence.get("repeat_interval", 1)), 2: timedelta(weeks=1)}.get(
            recurrence.get("type", 1), timedelta(days=1)
        )
        meeting["occurrences"] = [
            {
                "occurrence_id": str(int((start + n * step).timestamp() * 1000)),
                "start_time": z(start + n * step),
                "duration": meeting["duration"],
                "status": "available",
            }
            for n in range(recurrence.get("end_times", 1))
        ]

    def shown(self, meeting: dict) -> dict:
        shown = {k: v for k, v in meeting.items() if k != "deleted"}
        # A start link carries a short-lived ZAK token: a new one with every answer.
        shown["start_url"] = f"https://zoom.example/s/{meeting['id']}?zak=fresh-{len(self.requests)}"
        if "occurrences" in meeting:
            shown["occurrences"] = [o for o in meeting["occurrences"] if o["status"] != "deleted"]
        return shown

    def list_meetings(self) -> Response:
        rows = [
            {
                k: m[k]
                for k in (
                    "id",
                    "uuid",
                    "host_id",
                    "topic",
                    "type",
                    "start_time",
                    "duration",
                    "timezone",
                    "created_at",
                    "join_url",
                )
            }
            | {"agenda": m["agenda"][:250]}
            for m in self.meetings.values()
            if not m.get("deleted")
        ]
        return self.json(
            {"page_size": 300, "total_records": len(rows), "next_page_token": "", "meetings": rows}
        )

    def update(self, meeting: dict, occurrence_id: str | None, body: dict) -> Response:
        if occurrence_id:
            occurrence = next(
                (o for o in meeting.get("occurrences", []) if o["occurrence_id"] == occurrence_id), None
            )
            if occurrence is None:
                return self.json({"code": 3000, "message": "Invalid occurrence_id."}, 400)
            if "start_time" in body:
                occurrence["start_time"] = z(
                    parse_start(body["start_time"], body.get("timezone") or meeting["timezone"])
                )
            if "duration" in body:
                occurrence["duration"] = body["duration"]
            return self.json({}, 204)
        password = body.get("password", "")
        if password and (len(password) > 10 or not set(password) <= PASSCODE_CHARACTERS):
            return self.json({"code": 300, "message": "Invalid password."}, 400)
        for key in ("topic", "agenda", "duration", "timezone", "password", "type", "recurrence"):
            if key in body:
                meeting[key] = body[key]
        if "settings" in body:
            meeting["settings"].update(body["settings"])
        if "start_time" in body:
            meeting["start_time"] = z(
                parse_start(body["start_time"], body.get("timezone") or meeting["timezone"])
            )
        if {"start_time", "duration", "recurrence", "type"} & set(body):
            self.occur(meeting)
        return self.json({}, 204)

    def delete(self, meeting: dict, occurrence_id: str | None) -> Response:
        if occurrence_id:
            for occurrence in meeting.get("occurrences", []):
                if occurrence["occurrence_id"] == occurrence_id:
                    occurrence["status"] = "deleted"
                    return self.json({}, 204)
            return self.json({"code": 3000, "message": "Invalid occurrence_id."}, 400)
        meeting["deleted"] = True
        return self.json({}, 204)

    def _registrant(self, meeting: dict, data: dict) -> dict:
        registrant_id = f"reg{meeting['id']}x{len(self.registrants.get(meeting['id'], [])) + 1}"
        row = {
            "id": registrant_id,
            "registrant_id": registrant_id,
            "email": data["email"],
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "status": "approved",
            "join_url": f"https://zoom.example/w/{meeting['id']}?tk={registrant_id}",
        }
        self.registrants.setdefault(meeting["id"], []).append(row)
        return row

    def add_registrant(self, meeting: dict, body: dict) -> Response:
        row = self._registrant(meeting, body)
        return self.json(
            {
                "id": meeting["id"],
                "registrant_id": row["id"],
                "join_url": row["join_url"],
                "topic": meeting["topic"],
            },
            201,
        )

    def batch(self, meeting: dict, body: dict) -> Response:
        rows = [self._registrant(meeting, data) for data in body.get("registrants", [])]
        return self.json(
            {
                "registrants": [
                    {"email": r["email"], "registrant_id": r["id"], "join_url": r["join_url"]} for r in rows
                ]
            },
            201,
        )

    def registrant_status(self, meeting: dict, body: dict) -> Response:
        wanted = {r.get("id") or r.get("email") for r in body.get("registrants", [])}
        for row in self.registrants.get(meeting["id"], []):
            if row["id"] in wanted or row["email"] in wanted:
                row["status"] = {"cancel": "cancelled", "deny": "denied", "approve": "approved"}[
                    body["action"]
                ]
        return self.json({}, 204)

    def report(self, meeting_id: str, query) -> Response:
        rows = self.reports.get(meeting_id, [])
        size = int(query.get("page_size", 30))
        start = int(query.get("next_page_token") or 0)
        page = rows[start : start + size]
        token = str(start + size) if start + size < len(rows) else ""
        return self.json(
            {"page_size": size, "total_records": len(rows), "next_page_token": token, "participants": page}
        )
