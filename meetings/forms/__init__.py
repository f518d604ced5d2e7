"""Meeting forms: the meeting itself (meeting.py), its days and agenda items (agenda.py), hosts and roles (hosts.py)."""
