"""Meeting forms: the meeting itself (meeting.py) and its days and agenda items (agenda.py)."""
