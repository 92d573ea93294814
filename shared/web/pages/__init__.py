"""Server-rendered pages: what every service's page blueprints share.

A domain that has pages declares the ``pages`` part (``pages.py`` defines ``blp``, a
:func:`page_blueprint`) and keeps its templates in ``<domain>/templates/<domain>/``.  The shared
layout, macros and error pages live here (``templates/``).  ``install_pages`` wires a service's
page blueprints into its app: templates, filters, CSRF, the Content-Security-Policy, and errors
answered as pages (a 401 is a redirect to the sign-in page, not a JSON body).

Every page view declares who may see it with the same decorators as the API
(``@public``, ``@authenticated``, ``@requires``), so the start-up check covers pages too.
"""

from shared.web.pages.blueprint import page_blueprint
from shared.web.pages.csrf import CsrfFailed, file_form
from shared.web.pages.forms import FormErrors, parse_form
from shared.web.pages.install import install_pages
from shared.web.pages.render import is_page_request
from shared.web.pages.render import redirect_to, render_fragment, render_page, safe_next

__all__ = [
    "CsrfFailed",
    "FormErrors",
    "file_form",
    "install_pages",
    "is_page_request",
    "page_blueprint",
    "parse_form",
    "redirect_to",
    "render_fragment",
    "render_page",
    "safe_next",
]
