"""`page_blueprint`: a plain Flask blueprint whose templates sit in the domain's own folder."""

from __future__ import annotations

from flask import Blueprint

PAGE_BLUEPRINT_FLAG = "huhang_pages"


def page_blueprint(name: str, import_name: str, *, url_prefix: str | None = None) -> Blueprint:
    """The page blueprint of a domain package (``import_name`` is the domain's ``pages`` module).

    Its templates are ``<domain package>/templates/``; name them ``<domain>/<page>.html`` so no two
    domains of a service shadow each other's templates.  The endpoint names are ``<name>_pages.*``
    (the API blueprint of the same domain keeps ``<name>``).
    """
    blp = Blueprint(f"{name}_pages", import_name, url_prefix=url_prefix, template_folder="templates")
    setattr(blp, PAGE_BLUEPRINT_FLAG, True)
    return blp
