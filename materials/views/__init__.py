"""Views of the materials app: the staff pages, the speakers' upload page, downloads, listings."""
