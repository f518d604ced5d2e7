"""What the materials' actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import sentences
from meetings.audit_sentences import day_text

sentences(
    {
        "materials.added": lambda: _("%(actor)s added the material “%(title)s”"),
        "materials.changed": lambda: _("%(actor)s changed the material “%(title)s”"),
        "materials.deleted": lambda: _("%(actor)s deleted the material “%(title)s”"),
        "materials.upload_link_created": lambda: _("%(actor)s made a speaker's upload link for “%(item)s”"),
        "materials.upload_link_revoked": lambda: _(
            "%(actor)s revoked a speaker's upload link for “%(item)s”"
        ),
    },
    without_actor={
        "materials.added": lambda: _("A speaker added the material “%(title)s” through their upload link"),
        "materials.deleted": lambda: _(
            "A speaker deleted the material “%(title)s” through their upload link"
        ),
    },
)

# Documentation photos (materials.services.photos).
sentences(
    {
        "materials.photos_added": lambda: _("%(actor)s added %(count)s documentation photos of %(day)s"),
        "materials.photo_changed": lambda: _("%(actor)s changed the documentation photo %(name)s"),
        "materials.photo_deleted": lambda: _("%(actor)s deleted the documentation photo %(name)s"),
    },
    formatters={"day": day_text},
)
