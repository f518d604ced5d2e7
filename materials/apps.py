"""Materials: the speakers' materials (paparan) per agenda item and the documentation photos."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Materials and documentation")

    def ready(self):
        # The audit log's sentences register themselves on import; the receivers on connect().
        from . import audit_sentences, receivers  # noqa: F401
        from .views import listing, photos

        receivers.connect()
        listing.register()
        photos.register()
