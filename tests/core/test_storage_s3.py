"""The private storage on an S3-compatible object store: moto in server mode on 127.0.0.1, the
real boto3 client and django-storages, the real models, services and views.

Moto stores and serves objects but does not check presigned URLs (any signature, any age,
passes). A real store does, and "an expired or tampered link is refused" is what the signed URLs
are for, so the fake server here is moto behind a small WSGI check that recomputes each
presigned URL's SigV4 signature with botocore's own signer and refuses a wrong or expired one,
as S3 does (403). Everything else (the bucket, its objects, response header overrides) is moto.
"""

from __future__ import annotations

import hmac
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import boto3
import pytest
import requests
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.urls import reverse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from config.settings.base import private_storage
from core.storage import get_private_storage
from materials.models import DocumentationPhoto, Material
from materials.services import photos as services
from tests.factories import MeetingDayFactory, MeetingFactory, UserFactory
from tests.materials.photo_samples import camera_jpeg, image_bytes, upload

pytestmark = pytest.mark.django_db

KEY, SECRET, REGION, BUCKET, PREFIX = (
    "AKIASINERGITEST",
    "sinergi-test-secret",
    "us-east-1",
    "sinergi-files",
    "app",
)
AUTH_PARAMS = {
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
}


def _refused(start_response, code: str, message: str):
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
    start_response("403 Forbidden", [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


def checking_presigned_urls(app):
    """Moto, refusing a presigned request whose signature or age S3 would refuse."""

    def checked(environ, start_response):
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        if "X-Amz-Signature" not in query or "HTTP_AUTHORIZATION" in environ:
            return app(environ, start_response)
        signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if datetime.now(UTC) > signed_at + timedelta(seconds=int(query["X-Amz-Expires"])):
            return _refused(start_response, "AccessDenied", "Request has expired")
        host = environ["HTTP_HOST"]
        operation = urlencode({k: v for k, v in query.items() if k not in AUTH_PARAMS})
        request = AWSRequest(
            method=environ["REQUEST_METHOD"],
            url=f"http://{host}{environ['PATH_INFO']}" + (f"?{operation}" if operation else ""),
            headers={"host": host},
        )
        request.context["timestamp"] = query["X-Amz-Date"]
        signer = S3SigV4QueryAuth(Credentials(KEY, SECRET), "s3", REGION, expires=int(query["X-Amz-Expires"]))
        signer._modify_request_before_signing(request)
        expected = signer.signature(
            signer.string_to_sign(request, signer.canonical_request(request)), request
        )
        if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
            return _refused(start_response, "SignatureDoesNotMatch", "The request signature does not match")
        return app(environ, start_response)

    return checked


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    app = checking_presigned_urls(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", free_port(), app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name=REGION
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.shutdown()
    thread.join()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """The private storage on the bucket, configured from the environment as settings do it;
    returns a boto3 client of the bucket's own, emptied first."""
    environ = {
        "SINERGI_S3_BUCKET": BUCKET,
        "SINERGI_S3_ENDPOINT_URL": s3_endpoint,
        "SINERGI_S3_REGION": REGION,
        "SINERGI_S3_ACCESS_KEY_ID": KEY,
        "SINERGI_S3_SECRET_ACCESS_KEY": SECRET,
        "SINERGI_S3_PREFIX": f"/{PREFIX}/",
    }
    settings.STORAGES = {**settings.STORAGES, "private": private_storage(environ, None, 300)}
    settings.SINERGI_SIGNED_URL_SECONDS = 300
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name=REGION,
    )
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    return client


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.fixture
def staff(db):
    organizer = UserFactory(email="penyelenggara@example.test", can_organize=True)
    meeting = MeetingFactory(organizers=[organizer])
    return {"organizer": organizer, "meeting": meeting, "day": MeetingDayFactory(meeting=meeting)}


@pytest.fixture
def photo(staff, bucket):
    (made,) = services.add_photos(
        staff["meeting"],
        day=staff["day"],
        uploads=[services.Upload(upload("Pembukaan FGD.jpg", camera_jpeg()), "Pembukaan")],
        actor=staff["organizer"],
    )
    return made


def photo_url(name: str, photo: DocumentationPhoto) -> str:
    return reverse(f"materials:{name}", kwargs={"code": photo.meeting.code, "pk": photo.pk})


def test_the_settings_put_the_private_storage_in_the_bucket(bucket):
    storage = get_private_storage()

    assert (storage.bucket_name, storage.location, storage.default_acl) == (BUCKET, PREFIX, None)
    assert (storage.querystring_auth, storage.file_overwrite, storage.signature_version) == (
        True,
        False,
        "s3v4",
    )


def test_a_photo_and_a_material_go_to_the_bucket_under_random_keys(bucket, photo, staff):
    material = Material(meeting=staff["meeting"], title="Paparan", display_name="Paparan Dirjen.pdf")
    material.file.save("Paparan Dirjen.pdf", ContentFile(b"%PDF-1.4 paparan"), save=True)

    expected = sorted(
        f"{PREFIX}/{name}" for name in (photo.original.name, photo.web.name, material.file.name)
    )
    assert keys(bucket) == expected
    assert sorted(key.split("/")[1] for key in expected) == ["materials", "photos", "photos-web"]
    assert all("Pembukaan" not in key and "Paparan" not in key for key in expected)
    body = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{photo.original.name}")["Body"].read()
    assert body == camera_jpeg()
    # The bucket is private: an unsigned request is refused by the store itself.
    assert (
        requests.get(
            f"{bucket.meta.endpoint_url}/{BUCKET}/{PREFIX}/{photo.original.name}", timeout=10
        ).status_code
        == 403
    )


def test_staff_download_is_a_redirect_to_a_short_lived_signed_url_naming_the_file(
    client, bucket, photo, staff
):
    client.force_login(staff["organizer"])

    response = client.get(photo_url("photo_original", photo))

    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"{bucket.meta.endpoint_url}/{BUCKET}/{PREFIX}/photos/")
    query = dict(parse_qsl(urlsplit(signed).query))
    assert query["X-Amz-Expires"] == "300"
    assert response["Cache-Control"].startswith("private, no-store")
    download = requests.get(signed, timeout=10)
    assert download.status_code == 200
    assert download.content == camera_jpeg()
    assert download.headers["Content-Type"] == "image/jpeg"
    assert download.headers["Content-Disposition"] == 'attachment; filename="Pembukaan FGD.jpg"'

    inline = requests.get(client.get(photo_url("photo_web", photo))["Location"], timeout=10)
    assert inline.status_code == 200
    assert inline.headers["Content-Disposition"] == 'inline; filename="Pembukaan FGD.jpg"'
    assert inline.content[:2] == b"\xff\xd8"
    assert inline.content != camera_jpeg()


def test_a_tampered_or_expired_signed_url_is_refused_by_the_store(client, bucket, photo, staff, settings):
    client.force_login(staff["organizer"])
    signed = client.get(photo_url("photo_original", photo))["Location"]
    assert requests.get(signed, timeout=10).status_code == 200

    signature = dict(parse_qsl(urlsplit(signed).query))["X-Amz-Signature"]
    forged = signed.replace(signature, signature[:-1] + ("0" if signature[-1] != "0" else "1"))
    other_name = signed.replace("attachment", "inline")
    other_object = signed.replace(photo.original.name, photo.web.name)
    for url in (forged, other_name, other_object):
        refused = requests.get(url, timeout=10)
        assert refused.status_code == 403
        assert refused.content != camera_jpeg()

    settings.SINERGI_SIGNED_URL_SECONDS = 1
    short = client.get(photo_url("photo_original", photo))["Location"]
    assert dict(parse_qsl(urlsplit(short).query))["X-Amz-Expires"] == "1"
    time.sleep(2.2)
    expired = requests.get(short, timeout=10)
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content


def test_strangers_get_no_signed_url(client, bucket, photo):
    # The photo is there for its staff.
    client.force_login(photo.meeting.organizers.get())
    assert client.get(photo_url("photo_original", photo)).status_code == 302

    other = UserFactory(email="lain@example.test", can_organize=True)
    other_meeting = MeetingFactory(organizers=[other])
    MeetingDayFactory(meeting=other_meeting)
    client.force_login(other)
    for name in ("photo_original", "photo_web"):
        response = client.get(photo_url(name, photo))
        assert response.status_code == 404
        assert "Location" not in response
        assert BUCKET.encode() not in response.content
    client.logout()
    anonymous = client.get(photo_url("photo_original", photo))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))


def test_deleting_a_photo_then_the_meeting_empties_the_bucket_after_commit(
    bucket, photo, staff, django_capture_on_commit_callbacks
):
    material = Material(meeting=staff["meeting"], title="Paparan", display_name="paparan.pdf")
    material.file.save("paparan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    (second,) = services.add_photos(
        staff["meeting"],
        day=staff["day"],
        uploads=[services.Upload(upload("b.png", image_bytes("PNG"), "image/png"))],
        actor=staff["organizer"],
    )
    assert len(keys(bucket)) == 5

    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.delete_photo(photo, actor=staff["organizer"])
    # Not before the deletion commits.
    assert len(keys(bucket)) == 5
    for callback in pending:
        callback()
    assert keys(bucket) == sorted(
        f"{PREFIX}/{n}" for n in (second.original.name, second.web.name, material.file.name)
    )

    with django_capture_on_commit_callbacks(execute=True):
        staff["meeting"].delete()
    assert keys(bucket) == []
    with pytest.raises(ClientError):
        bucket.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{second.original.name}")


def test_on_the_file_system_the_same_view_streams_the_file(client, settings, tmp_path, staff):
    settings.STORAGES = {**settings.STORAGES, "private": private_storage({}, tmp_path, 300)}
    (made,) = services.add_photos(
        staff["meeting"],
        day=staff["day"],
        uploads=[services.Upload(upload("Pembukaan FGD.jpg", camera_jpeg()))],
        actor=staff["organizer"],
    )
    client.force_login(staff["organizer"])

    response = client.get(photo_url("photo_original", made))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == camera_jpeg()
    assert response["Content-Disposition"] == 'attachment; filename="Pembukaan FGD.jpg"'
    assert (tmp_path / made.original.name).read_bytes() == camera_jpeg()
