"""Rows of the API (api/): the token pages of a signed-in user, and the API itself.

The API authenticates by personal token only, never by the session: every role of the matrix
(signed in or not, none holding a token) gets 401 with a JSON error, on GET and POST alike,
and nothing changes. What a token sees, user by user, is tested in tests/api/test_permissions.py.
The OpenAPI description and its Swagger UI page are public (they describe the API, no data).
"""

API_ROWS = (
    ("api:meeting-list", lambda w: {}),
    ("api:meeting-detail", lambda w: {"code": w["code"]}),
    ("api:meeting-agenda", lambda w: {"code": w["code"]}),
    ("api:day-list", lambda w: {}),
    ("api:recommendation-list", lambda w: {}),
    ("api:recommendation-detail", lambda w: {"key": w["key_x"]}),
)


def rows() -> list:
    from tests.test_permission_matrix import PUBLIC, ROLES, SIGNED_IN_ANYONE, SIGNED_IN_POST, Row

    no_token = dict.fromkeys(ROLES, 401)
    return [
        *[
            Row(name, kwargs, expect=dict(no_token), right=None, post_refused=(401,))
            for name, kwargs in API_ROWS
        ],
        Row("api:schema", expect=dict(PUBLIC), right=None, post=False),
        Row("api:docs", expect=dict(PUBLIC), right=None, post=False),
        # Every signed-in user manages their own tokens.
        Row("api:tokens", expect=dict(SIGNED_IN_ANYONE), post=False),
        Row("api:token_create", expect=dict(SIGNED_IN_ANYONE), post=False),
        # POST only; another user's token is a 404 (POST refused, nothing changed).
        Row(
            "api:token_revoke",
            lambda w: {"pk": w["api_token"]},
            expect=dict(SIGNED_IN_POST),
        ),
    ]


def build(world: dict, objects: dict) -> None:
    from api.services import create_token

    token, _secret = create_token(objects["org_a"], name="Sistem informasi kebijakan")
    world["api_token"] = token.pk
