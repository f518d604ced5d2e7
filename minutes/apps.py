"""Minutes: what was said and decided, approved and published, and the Word documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self):
        # The audit log's sentences register themselves on import; the receivers on connect().
        from . import audit_sentences, receivers  # noqa: F401
        from .views.documents import register_urls
        from .views.workflow import register

        register_urls()
        register()
        receivers.connect()
        from .views import certificates

        certificates.register()
