"""Unguessable, revocable private links.

A token is an HMAC (keyed by SECRET_KEY) of the object's kind, id and a version number stored on
the object. Nobody can forge one without the key; raising the version revokes every earlier
link; and the same link can be sent again without being stored anywhere.
"""

import base64
import hashlib
import hmac

from django.conf import settings


def make_token(kind: str, pk: int, version: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"sinergi:{kind}:{pk}:{version}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def check_token(kind: str, pk: int, version: int, token: str) -> bool:
    return hmac.compare_digest(make_token(kind, pk, version), token or "")
