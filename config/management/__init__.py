"""Management commands of the site-wide config app."""
