"""The config app: site-wide views, templates tags and the demo-data command."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Sinergi"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
