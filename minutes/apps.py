"""Minutes: what was said and decided (reserved; built by a later issue)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self):
        from .views.documents import register_urls

        register_urls()
