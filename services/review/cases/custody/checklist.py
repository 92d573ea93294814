"""The checklist of 规则 第五百七十八条 (factors), 第五百七十九条 (must) and 第五百八十条 (may), read from checklist.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CHECKLIST_FILE = Path(__file__).with_name("checklist.toml")
GROUPS = ("factor", "must", "may")
GROUP_TEXT = {"factor": "审查要素（规则第五百七十八条）", "must": "应当建议的情形（规则第五百七十九条）",
              "may": "可以建议的情形（规则第五百八十条）"}


@dataclass(frozen=True)
class Item:
    group: str
    code: str
    text: str
    confirmed: bool


@cache
def items(path: Path = CHECKLIST_FILE) -> tuple[Item, ...]:
    """Every item of the file, in its order; a malformed file fails loudly."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    out = tuple(Item(group=str(i["group"]), code=str(i["code"]), text=str(i["text"]),
                     confirmed=bool(i.get("confirmed", True))) for i in raw["item"])
    if len({i.code for i in out}) != len(out) or any(i.group not in GROUPS for i in out):
        raise ValueError(f"{path.name}: codes must be unique and groups one of {GROUPS}")
    return out


def by_code() -> dict[str, Item]:
    return {i.code: i for i in items()}


def grouped() -> list[tuple[str, list[Item]]]:
    return [(g, [i for i in items() if i.group == g]) for g in GROUPS]
