"""Accounts: the user model, sign-up and profile, MFA, the organizer role."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import audit_sentences  # noqa: F401 (registers the audit log's sentences)
