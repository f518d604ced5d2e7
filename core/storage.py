"""Uploaded files, through Django's storage API: the storage alias "private" (STORAGES in the
settings) is the local file system outside the web root by default (SINERGI_PRIVATE_ROOT), or an
S3-compatible object store through django-storages when several web servers share the files.

Nothing under it has a public URL: a view checks permission first, then `serve` streams the file
(file system) or redirects to a short-lived signed URL (object store).
"""

from __future__ import annotations

import uuid

from django.core.files.storage import storages


def get_private_storage():
    """The fields' storage as a callable: migrations record this function, not the storage's
    location or backend (which differ from one installation to the next)."""
    return storages["private"]


def random_name(prefix: str) -> str:
    """A stored name under `prefix/`, random: nothing of the uploaded name (`../../x`,
    `CON.pdf`) reaches the storage; the name people see is kept apart (`display_name`)."""
    return f"{prefix}/{uuid.uuid4().hex}"
