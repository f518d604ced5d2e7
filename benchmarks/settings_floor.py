"""Production settings with the floor view of benchmarks/scaled_out.py mounted; nothing else uses this.

The only difference from config.settings.production: ROOT_URLCONF is benchmarks.floor (the
site's URLs plus /bench/floor/<meeting id>/).
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor"
