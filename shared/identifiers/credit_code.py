"""统一社会信用代码 (GB 32100-2015): the code every 法人和其他组织 is registered under.

Eighteen characters from 0-9 and the capitals without I, O, Z, S, V (they look like 1, 0, 2, 5,
U): position 1 the 登记管理部门代码, 2 the 机构类别代码 (meaningful only with its authority), 3–8
the 登记管理机关行政区划码 (GB/T 2260), 9–17 the 主体标识码 (组织机构代码, GB 11714), 18 the 校验码.

Refused, in this order: `credit_code.length`, `credit_code.characters`, `credit_code.check_character`
(a mistyped character, checked before meaning), `credit_code.authority`, `credit_code.type`,
`credit_code.division`.

Not checked: the GB 11714 check character inside the 主体标识码 (position 17), and whether the code
was ever assigned (only the 登记管理部门 know).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.identifiers.divisions import MAINLAND_PROVINCES, PROVINCES, prefecture
from shared.identifiers.problems import accepts, halfwidth, refuse

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the value of a character is its index
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^i mod 31

#: 登记管理部门代码 → (部门, {机构类别代码: 类别}) — GB 32100-2015 表1 with the codes assigned
#: since (N 农业 for 农村集体经济组织, A for the armed forces' 事业单位); see docs/identifiers.md.
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {
        "1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他",
    }),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监督管理）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

#: Registrations by a national authority carry this division code, not a province's.
NATIONAL_DIVISION = "100000"

_SHAPE = re.compile(f"[{ALPHABET}]{{18}}")


@dataclass(frozen=True)
class CreditCode:
    """A 统一社会信用代码 that passed every check."""

    code: str  # the normalised 18 characters
    authority_code: str  # 登记管理部门代码 (position 1)
    authority_name: str
    type_code: str  # 机构类别代码 (position 2)
    type_name: str
    division_code: str  # 登记管理机关行政区划码 (positions 3–8)
    province_code: str | None  # None for a national registration (100000)
    province_name: str | None
    organisation_code: str  # 主体标识码 (positions 9–17)


def check_character(first17: str) -> str:
    """The GB 32100 校验码 of seventeen characters (weights 3^i mod 31, 31 minus the sum mod 31)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[-total % 31]


def normalise(value: str) -> str:
    """The code as stored and compared: half-width, upper-case, no spaces."""
    return "".join(halfwidth(value).split()).upper()


def parse_credit_code(value: str) -> CreditCode:
    """Parse and check a 统一社会信用代码; raise `InvalidIdentifier` naming the first rule broken."""
    code = normalise(value)
    if len(code) != 18:
        refuse(
            "credit_code.length",
            f"统一社会信用代码应为18位，输入的是{len(code)}位",
            f"A unified social credit code has 18 characters, this has {len(code)}",
        )
    if not _SHAPE.fullmatch(code):
        refuse(
            "credit_code.characters",
            "统一社会信用代码只含数字和除I、O、Z、S、V以外的大写字母",
            "A unified social credit code uses digits and the capitals other than I, O, Z, S and V",
        )
    if check_character(code[:17]) != code[17]:
        refuse(
            "credit_code.check_character",
            "统一社会信用代码校验位不符，请核对是否抄错",
            "The check character does not match: a character is probably mistyped",
        )
    authority = AUTHORITIES.get(code[0])
    if authority is None:
        refuse(
            "credit_code.authority",
            f"第1位{code[0]}不是登记管理部门代码",
            f"The first character {code[0]} is no registration authority's code",
        )
    authority_name, types = authority
    if code[1] not in types:
        refuse(
            "credit_code.type",
            f"第2位{code[1]}不是{authority_name}登记的机构类别代码",
            f"The second character {code[1]} is no organisation type registered by authority {code[0]}",
        )
    division = code[2:8]
    province = _division_province(division)
    return CreditCode(
        code=code,
        authority_code=code[0],
        authority_name=authority_name,
        type_code=code[1],
        type_name=types[code[1]],
        division_code=division,
        province_code=province,
        province_name=PROVINCES[province] if province else None,
        organisation_code=code[8:17],
    )


def is_valid_credit_code(value: str) -> bool:
    """Whether `parse_credit_code` accepts the code."""
    return accepts(parse_credit_code, value)


def _division_province(division: str) -> str | None:
    """The province of a registration's division code; None for a national one (100000)."""
    if division == NATIONAL_DIVISION:
        return None
    province = division[:2]
    known = division.isdigit() and province in MAINLAND_PROVINCES
    if known and division[2:4] != "00" and prefecture(division[:4]) is None:
        known = False
    if not known:
        refuse(
            "credit_code.division",
            f"第3至8位{division}不是登记管理机关的行政区划代码",
            f"Characters 3 to 8, {division}, are no administrative division code of a registration authority",
        )
    return province
