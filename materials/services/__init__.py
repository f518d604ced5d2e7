"""The materials app's services: materials (the files and links) and upload_links (the speakers' links)."""
