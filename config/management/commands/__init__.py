"""Site-wide management commands (seed_demo)."""
