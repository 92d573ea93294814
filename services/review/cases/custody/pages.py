"""Pages of 羁押必要性审查 (placeholder until the queue and case page are written)."""

from __future__ import annotations

from shared.web.pages import page_blueprint

blp = page_blueprint("custody", __name__)
