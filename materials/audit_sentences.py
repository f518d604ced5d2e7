"""What the materials' actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import sentences
from meetings.audit_sentences import day_text

# Documentation photos (materials.services.photos).
sentences(
    {
        "materials.photos_added": lambda: _("%(actor)s added %(count)s documentation photos of %(day)s"),
        "materials.photo_changed": lambda: _("%(actor)s changed the documentation photo %(name)s"),
        "materials.photo_deleted": lambda: _("%(actor)s deleted the documentation photo %(name)s"),
    },
    formatters={"day": day_text},
)
