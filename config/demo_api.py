"""Demo data of the API: the policy analyst's personal token for the ministry's policy information
system, made once (through the service, as the token page would). Its secret is never printed:
only a digest is stored, so nobody, the demo included, can show it again. To try the API, sign
in as the analyst and create another token under My account → API tokens."""

from __future__ import annotations

from api.models import ApiToken
from api.services import create_token

TOKEN_NAME = "Sistem informasi kebijakan"


def analyst_token(analyst) -> str:
    """Makes the analyst's token if missing; returns the line the seed prints (no secret)."""
    token = ApiToken.objects.filter(user=analyst, name=TOKEN_NAME).first()
    if token is None:
        token, _secret = create_token(analyst, name=TOKEN_NAME)
        made = "created"
    else:
        made = "already present"
    return f"API token “{TOKEN_NAME}” of {analyst.email} ({token.prefix}…): {made}; its secret is not shown."
