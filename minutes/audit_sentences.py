"""What the minutes' actions in the audit log mean, in sentences (see core.audit)."""

from django.utils.translation import gettext as _

from core.audit import sentences


def _audience(value: str) -> str:
    return {"participants": _("the confirmed participants"), "public": _("the public page")}.get(value, value)


sentences(
    {
        "minutes.prepared": lambda: _(
            "%(actor)s prepared version %(version)s of the minutes from the agenda"
        ),
        "minutes.submitted": lambda: _("%(actor)s submitted version %(version)s of the minutes for approval"),
        "minutes.returned": lambda: _("%(actor)s returned version %(version)s of the minutes: %(reason)s"),
        "minutes.approved": lambda: _("%(actor)s approved version %(version)s of the minutes"),
        "minutes.correction_opened": lambda: _(
            "%(actor)s opened version %(version)s to correct the approved minutes: %(reason)s"
        ),
        "minutes.published": lambda: _(
            "%(actor)s published version %(version)s of the minutes to %(audience)s"
        ),
        "minutes.unpublished": lambda: _(
            "%(actor)s withdrew version %(version)s of the minutes from publication"
        ),
        "minutes.transcript_imported": lambda: _(
            "%(actor)s imported the transcript %(filename)s: %(cues)s cues, %(drafts)s draft points"
        ),
        "minutes.draft_edited": lambda: _("%(actor)s edited a draft point of %(speaker)s"),
        "minutes.draft_accepted": lambda: _(
            "%(actor)s added a point of %(speaker)s to “%(section)s” from the transcript"
        ),
        "minutes.drafts_merged": lambda: _(
            "%(actor)s merged %(count)s draft points into one point of “%(section)s”"
        ),
        "minutes.draft_discarded": lambda: _("%(actor)s discarded a draft point of %(speaker)s"),
    },
    formatters={"audience": _audience},
)

# Invitation letters (minutes.services.letters).
sentences(
    {
        "minutes.letter_drafted": lambda: _(
            "%(actor)s drafted the invitation letter %(number)s to %(addressees)s"
        ),
        "minutes.letter_changed": lambda: _("%(actor)s edited the invitation letter %(number)s"),
        "minutes.letter_sent": lambda: _("%(actor)s sent the invitation letter %(number)s"),
        "minutes.letter_deleted": lambda: _("%(actor)s deleted the draft invitation letter %(number)s"),
        "minutes.letter_numbering_changed": lambda: _(
            "%(actor)s changed how %(organization)s numbers its invitation letters"
        ),
    }
)

# The activity report and the news article (minutes.services.reports).
sentences(
    {
        "minutes.report_section_saved": lambda: _(
            "%(actor)s changed the section %(section)s of the activity report"
        ),
        "minutes.news_saved": lambda: _("%(actor)s edited the news article (%(fields)s)"),
        "minutes.news_redrafted": lambda: _("%(actor)s drafted the news article again"),
    }
)
