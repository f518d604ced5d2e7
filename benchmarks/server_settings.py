"""Production settings as the registration benchmark's gunicorn runs them; nothing else uses this.

Two differences from config.settings.production, both for the benchmark's sake:
ROOT_URLCONF adds a trivial view (benchmarks/trivial_urls.py) next to the site's URLs, and
static files are collected into a throwaway directory (SINERGI_BENCH_STATIC_ROOT) so the shared
var/static/ is left alone.
"""

import os

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = os.environ.get("SINERGI_BENCH_URLCONF", "benchmarks.trivial_urls")
STATIC_ROOT = os.environ["SINERGI_BENCH_STATIC_ROOT"]
