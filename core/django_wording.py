"""Django's own form and model messages whose Indonesian wording another installed app replaces.

Django merges the catalogues of installed apps over its own, so Django REST framework's
translations of shared messages ("This field is required.") would change every form of the site.
Listed here, they are extracted into the project's catalogue (which comes first) with Django's own
wording. Add a message when a new app brings another such translation
(tests/config/test_translations.py compares them).
"""

from django.utils.translation import gettext_noop

PINNED = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Value must be valid JSON."),
)
