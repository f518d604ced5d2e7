"""The served OpenAPI description and its browsable page (Swagger UI from drf-spectacular-sidecar,
vendored: nothing from a CDN). The split view loads its start-up script as a file, so the page
runs under the site's Content-Security-Policy (no inline script, no inline style)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
