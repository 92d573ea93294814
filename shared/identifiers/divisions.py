"""行政区划代码 (GB/T 2260): provinces, and every prefecture-level code any edition has had.

A 居民身份证号码 keeps the address code of where and when it was first issued, and a 统一社会信用代码
the division of its registration authority at the time, so a check against today's table alone
would refuse real numbers: 3426 巢湖地区 (until 1999) and 3414 巢湖市 (1999–2011) are gone, 4129
南阳地区 became 4113 南阳市 in 1994.  `data/gb2260_prefectures.csv` therefore lists each 4-digit
prefix that appears in any revision from 1980-12 to 2019-04 (see docs/identifiers.md for the
source), with the revisions it was first and last seen in.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: GB/T 2260 province-level codes (first two digits) and names.  71 台湾省 is listed by the
#: standard with no subdivisions; 81/82 are the special administrative regions.
PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

#: The 31 provincial-level divisions of the mainland, whose codes carry prefectures.
MAINLAND_PROVINCES = frozenset(code for code in PROVINCES if code < "70")


@dataclass(frozen=True)
class Prefecture:
    """A prefecture-level code (地级, or a province's 市辖区/县/省直辖县级行政区划 grouping)."""

    code: str
    names: tuple[str, ...]  # every name the code has carried, oldest first (襄樊市, 襄阳市)
    first_revision: str  # yyyymm of the first revision listing it
    last_revision: str
    current: bool  # still in the latest revision (and not abolished since)

    @property
    def name(self) -> str:
        return self.names[-1]


def read_table(filename: str) -> list[dict[str, str]]:
    """The rows of a CSV file in `data/`, by column name."""
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def prefectures() -> dict[str, Prefecture]:
    """Every prefecture-level code of any GB/T 2260 revision, by its 4 digits."""
    return {
        row["code"]: Prefecture(
            code=row["code"],
            names=tuple(row["names"].split("|")),
            first_revision=row["first_revision"],
            last_revision=row["last_revision"],
            current=row["current"] == "yes",
        )
        for row in read_table("gb2260_prefectures.csv")
    }


def prefecture(code4: str) -> Prefecture | None:
    """The prefecture-level division with these four digits in some edition, or None."""
    return prefectures().get(code4)
