"""Meeting views: the meeting pages (meeting.py) and the agenda editor (agenda.py)."""

from .agenda import *  # noqa: F403
from .meeting import *  # noqa: F403
