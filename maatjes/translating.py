"""Translations for templates, looked up once per request and language.

Flask-Babel finds the catalogue anew for every string (the request context, the locale, the
domain's cache: six context-local lookups), and a match page shows a hundred strings: a sixth
of its time. Here the catalogue is kept on Flask-Babel's own per-request namespace together
with the locale object it was found for, so ``force_locale`` (a notification in the
recipient's language) and ``refresh`` (a changed language), which replace that object, are
still honoured.
"""

from flask import Flask, g
from flask_babel import get_translations


def translations():
    try:
        namespace = g._flask_babel
    except (AttributeError, RuntimeError):  # not in a request yet, or outside any context
        return get_translations()
    cached = getattr(namespace, "maatjes_translations", None)
    if cached is not None and cached[0] is getattr(namespace, "babel_locale", None):
        return cached[1]
    found = get_translations()  # sets babel_locale on the namespace
    namespace.maatjes_translations = (getattr(namespace, "babel_locale", None), found)
    return found


def install(app: Flask) -> None:
    """Replace Flask-Babel's template callables (same behaviour, newstyle gettext)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
