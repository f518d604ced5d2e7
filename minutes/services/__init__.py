"""State changes of the minutes; views, the admin and tasks call these, nothing else saves.

- `revisions`: every save of a part is a Revision; a save over a newer one is a `Conflict`.
- `preparation`: version 1 of a meeting's minutes, prepared from its agenda.
- `points`: what was said in a section.
"""
