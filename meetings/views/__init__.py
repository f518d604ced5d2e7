"""Meeting views: the meeting pages (meeting.py), the agenda editor (agenda.py), hosts and agenda
roles (hosts.py), .ics files (calendar.py), copies and series (copy.py)."""

from .agenda import *  # noqa: F403
from .calendar import *  # noqa: F403
from .copy import *  # noqa: F403
from .hosts import *  # noqa: F403
from .meeting import *  # noqa: F403
from .zoom import *  # noqa: F403
