"""Checking uploaded files by their content, not their name: the type from the first bytes
(the `filetype` library), Office files opened as the zip archives they are (no archive whose
unpacked size or member count could exhaust a reader), and a size limit.

The name the person gave is kept only for display, reduced to its last component of safe
characters: it never reaches the file system (storage names are random).
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "word/"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "xl/"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx", "ppt/"),
}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    **{mime: ext for mime, (ext, _prefix) in OOXML.items()},
}
DOCUMENT_TYPES_LABEL = gettext_lazy("PDF, Word, Excel, PowerPoint, PNG or JPEG")
# An Office file of a few MB unpacks to tens; anything beyond these is refused unread.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    mime: str
    extension: str
    size: int
    display_name: str


def display_name(name: str, extension: str) -> str:
    """The last component of the given name, letters, digits and `._- ` only, with the
    extension of the type found: `../../etc/passwd` → `passwd.pdf`."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    stem = os.path.splitext(base)[0]
    stem = re.sub(r"[^\w.\- ]", "", stem).strip(" .")[:150] or "file"
    return f"{stem}.{extension}"


def _office_type(upload) -> str | None:
    """The OOXML type of a zip, by its parts; None if it is not one or is unsafe to read."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise ValidationError(_("The archive inside this file unpacks to too much data."))
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for mime, (_ext, prefix) in OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return mime
    return None


def check_document(upload, *, max_bytes: int) -> CheckedFile:
    """The upload's real type, or a ValidationError in the user's language."""
    size = upload.size
    if size is None or size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(max_bytes)}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip" or mime in OOXML:
        mime = _office_type(upload)
    if mime not in DOCUMENT_TYPES:
        raise ValidationError(
            _("This kind of file is not accepted: send %(types)s.") % {"types": DOCUMENT_TYPES_LABEL}
        )
    extension = DOCUMENT_TYPES[mime]
    return CheckedFile(mime, extension, size, display_name(upload.name, extension))
