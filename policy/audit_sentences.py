"""What the policy app's actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import sentences

from .models import State


def _state(value: str) -> str:
    return str(State(value).label) if value in State.values else value


sentences(
    {
        "policy.follow_up": lambda: _(
            "%(actor)s recorded the follow-up “%(state)s” (was “%(previous)s”) by %(by)s"
        ),
        "policy.due_set": lambda: _("%(actor)s set the follow-up due date to %(due)s"),
        "policy.merged": lambda: _(
            "%(actor)s marked recommendations of other meetings as the same as this one"
        ),
        "policy.unmerged": lambda: _("%(actor)s separated a recommendation from this one"),
        "policy.focal_point_added": lambda: _("%(actor)s added the focal point for %(organization)s"),
        "policy.focal_point_link_sent": lambda: _("%(actor)s sent the focal point's private link"),
        "policy.focal_point_link_revoked": lambda: _("%(actor)s revoked the focal point's private link"),
        "policy.focal_point_removed": lambda: _("%(actor)s removed the focal point"),
        "policy.brief_created": lambda: _(
            "%(actor)s created the policy-input document “%(title)s” from %(recommendations)s recommendations"
        ),
        "policy.brief_saved": lambda: _("%(actor)s saved version %(version)s of the policy-input document"),
    },
    formatters={"state": _state, "previous": _state},
    without_actor={
        "policy.follow_up": lambda: _("%(by)s recorded the follow-up “%(state)s” (was “%(previous)s”)"),
    },
)
