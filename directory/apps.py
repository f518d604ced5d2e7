"""Directory: organizations (agencies, with parent units) and people; the CSV import."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from . import audit_sentences  # noqa: F401 (registers the audit log's sentences)
