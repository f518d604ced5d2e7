"""What the accounts' actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import changes_text, say, sentence

from .models import User


@sentence("account.profile_updated")
def profile_updated(entry, who):
    return say(
        _("%(actor)s changed the profile: %(changes)s"),
        actor=who,
        changes=changes_text(User, entry.data["changes"]),
    )


@sentence("account.calendar_link_reset")
def calendar_link_reset(entry, who):
    return say(
        _("%(actor)s renewed the personal calendar link of %(subject)s"), actor=who, subject=entry.object_repr
    )
