"""Photos for the tests: a camera JPEG lying on its side with GPS in its EXIF, a PNG with
transparency, a WebP, a text file named .jpg, and PNGs that declare far more pixels than they
hold (decompression bombs), all made here so no binary file is checked in."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

RED = (200, 30, 30)
BLUE = (0, 0, 255)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def camera_jpeg(size=(3000, 2000)) -> bytes:
    """A landscape sensor image stored sideways (EXIF orientation 6: show it turned 90° to the
    right) with a blue band along its stored top-left edge, GPS and the camera in its EXIF."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (0, 0, size[0] // 3, size[1] // 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Canon"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def image_bytes(fmt: str, size=(800, 600), mode="RGB", color=(20, 120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def declared_png(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares width × height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1000, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.fixture
def fresh_private_storage(settings, tmp_path):
    """The private storage in a directory of this test's own, so a test sees only its files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"
