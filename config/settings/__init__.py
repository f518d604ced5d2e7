"""Settings modules: base (development default), test, production."""
