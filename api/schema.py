"""The OpenAPI description of the token scheme (drf-spectacular extension, loaded at startup)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Akun saya → Token API), as `Authorization: Bearer sng_…`.",
        }
