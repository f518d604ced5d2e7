"""What the API app's actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import sentences

sentences(
    {
        "api.token_created": lambda: _("%(actor)s created the API token “%(name)s”"),
        "api.token_revoked": lambda: _("%(actor)s revoked the API token “%(name)s”"),
    }
)
