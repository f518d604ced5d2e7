"""Views of the minutes app, one module per area; minutes/urls.py maps them all."""
