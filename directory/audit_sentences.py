"""What the directory's actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import sentences

sentences(
    {
        "organization.created": lambda: _("%(actor)s added %(subject)s to the directory"),
        "organization.updated": lambda: _("%(actor)s updated %(subject)s in the directory"),
        "organization.imported": lambda: _("%(actor)s imported %(subject)s into the directory"),
        "person.created": lambda: _("%(actor)s added %(subject)s to the directory"),
        "person.updated": lambda: _("%(actor)s updated %(subject)s in the directory"),
    }
)
