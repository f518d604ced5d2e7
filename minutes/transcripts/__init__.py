"""Transcripts turned into draft points: reading the file (`parsing`), recognising who spoke
(`matching`) and placing what was said on the agenda (`placement`). No database writes here:
minutes.services.transcripts does those."""
