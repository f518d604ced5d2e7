"""Views of the participants app, one module per area; participants/urls.py maps them all."""
