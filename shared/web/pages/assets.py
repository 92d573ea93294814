"""The portal's built stylesheet and script (web/, built by `make assets` into web/dist/).

Review serves them at ``/assets/<name>`` (the front door routes every other path prefix to its
owner, and ``/`` to review); every service's pages link to them with ``?v=<content hash>`` so a
new build is fetched at once while an unchanged file stays cached for a year.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

ASSETS_PREFIX = "/assets"
_REPO = Path(__file__).resolve().parents[3]


def assets_dir() -> Path:
    """Where the built files are: ``HUHANG_ASSETS_DIR``, else ``web/dist`` of this checkout."""
    return Path(os.environ.get("HUHANG_ASSETS_DIR") or _REPO / "web" / "dist")


@lru_cache(maxsize=64)
def _version(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    """``/assets/<name>?v=<hash>``; without a build, the bare path (the page still works, unstyled)."""
    path = assets_dir() / name
    try:
        version = _version(path, path.stat().st_mtime_ns)
    except OSError:
        return f"{ASSETS_PREFIX}/{name}"
    return f"{ASSETS_PREFIX}/{name}?v={version}"
