"""Views of the participants app, one module per area; each module lists its own urlpatterns."""
