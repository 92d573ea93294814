"""Reading the HTML a page test gets back: parse it, find the CSRF token, check the CSP rules held.

The pages allow no inline code (the Content-Security-Policy says `script-src 'self'; style-src
'self'`), so a `<script>` without `src`, a `<style>` element or a `style=` attribute is a bug even
where a browser would merely refuse it.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from werkzeug.test import TestResponse

from shared.web.pages.csrf import CSRF_FIELD


def soup(response: TestResponse) -> BeautifulSoup:
    """The parsed body of an HTML response (asserting it is one), checked for inline code."""
    assert response.mimetype == "text/html", response.mimetype
    parsed = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert_no_inline_code(parsed)
    return parsed


def assert_no_inline_code(parsed: BeautifulSoup) -> None:
    inline_scripts = [s for s in parsed.find_all("script") if not s.get("src")]
    assert not inline_scripts, f"inline <script>: {inline_scripts[:1]}"
    assert not parsed.find_all("style"), "a <style> element"
    styled = [t for t in parsed.find_all(True) if "style" in t.attrs]
    assert not styled, f"a style= attribute: {styled[:1]}"
    handlers = [t for t in parsed.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert not handlers, f"an inline event handler: {handlers[:1]}"


def csrf_token(parsed: BeautifulSoup) -> str:
    """The CSRF token of the page's first form that has one."""
    field = parsed.find("input", attrs={"name": CSRF_FIELD})
    assert isinstance(field, Tag), "no form with a CSRF token on the page"
    value = field.get("value")
    assert isinstance(value, str) and value
    return value


def has_layout(parsed: BeautifulSoup) -> bool:
    """Whether the HTML is a whole page (the portal's frame), not a fragment."""
    return parsed.find("html") is not None or parsed.find("header", class_="site-header") is not None
