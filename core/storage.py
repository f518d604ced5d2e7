"""Uploaded files, through Django's storage API: the storage alias "private" (STORAGES in the
settings) is the local file system outside the web root by default (SINERGI_PRIVATE_ROOT), or an
S3-compatible object store through django-storages when several web servers share the files.

Nothing under it has a public URL: a view checks permission first, then `serve` streams the file
(file system) or redirects to a short-lived signed URL (object store).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class PrivateStorage(LazyObject):
    """The "private" storage, looked up when first used (like Django's `default_storage`), so
    a field made at import time follows STORAGES even when a test or a second settings module
    changes it: the file system in one test, an S3 bucket in the next."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


setting_changed.connect(_storages_changed, dispatch_uid="core-private-storage")


def get_private_storage():
    """The fields' storage as a callable: migrations record this function, not the storage's
    location or backend (which differ from one installation to the next)."""
    return private_storage


def random_name(prefix: str) -> str:
    """A stored name under `prefix/`, random: nothing of the uploaded name (`../../x`,
    `CON.pdf`) reaches the storage; the name people see is kept apart (`display_name`)."""
    return f"{prefix}/{uuid.uuid4().hex}"


def is_object_store(storage) -> bool:
    """An S3-compatible store (django-storages) hands out signed URLs; the file system does not."""
    return hasattr(storage, "bucket_name")


def serve(field_file, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """The response for a file the caller has already decided the requester may have.

    File system: the file streamed (FileResponse). Object store: a redirect to a signed URL that
    expires after SINERGI_SIGNED_URL_SECONDS and names the file and its checked type, so the
    browser never guesses either. Either way a download (or an inline image) is never cached by
    shared caches, and never runs as a page of this site.
    """
    storage = field_file.storage
    if is_object_store(storage):
        disposition = content_disposition_header(not inline, filename)
        url = storage.url(
            field_file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=getattr(settings, "SINERGI_SIGNED_URL_SECONDS", 300),
        )
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def delete_on_commit(storage, name: str) -> None:
    """Remove a stored file once the transaction that dropped its row has committed (a rolled
    back delete keeps its file; a file is never removed while a row still points to it)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
