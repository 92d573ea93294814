"""The names of receiving units (受理单位) as a receipt and the public answer print them.

Intake has no unit table (the token carries unit codes: docs/adr/0004), yet a 受理回执 must
name the organ that received the matter, in words.  These are the formal names of the units in
review's tree (services/review/identity/units/units.toml) that can register petitions; a test
keeps the two in step.  A code missing here prints as its organ and the code, never as nothing.
"""

from __future__ import annotations

from shared.auth.units import line_of_unit

ORGAN_OF_LINE = {"12309": "南阳市人民检察院", "12368": "南阳市中级人民法院"}

NAMES: dict[str, str] = {
    "NY-JCY": "南阳市人民检察院",
    "NY-JCY-KS": "南阳市人民检察院控告申诉检察部（12309 检察服务中心）",
    "NY-JCY-XS": "南阳市人民检察院刑事检察部",
    "NY-JCY-XZ": "南阳市人民检察院行政检察部",
    "NY-JCY-MS": "南阳市人民检察院民事检察部",
    # The two districts belong to 南阳市 and carry its name; counties and 邓州市 stand alone.
    "NY-JCY-WC": "南阳市宛城区人民检察院",
    "NY-JCY-WL": "南阳市卧龙区人民检察院",
    "NY-JCY-NZ": "南召县人民检察院",
    "NY-JCY-FC": "方城县人民检察院",
    "NY-JCY-XX": "西峡县人民检察院",
    "NY-JCY-ZP": "镇平县人民检察院",
    "NY-JCY-NX": "内乡县人民检察院",
    "NY-JCY-XC": "淅川县人民检察院",
    "NY-JCY-SQ": "社旗县人民检察院",
    "NY-JCY-TH": "唐河县人民检察院",
    "NY-JCY-XY": "新野县人民检察院",
    "NY-JCY-TB": "桐柏县人民检察院",
    "NY-JCY-DZ": "邓州市人民检察院",
    "NY-FY": "南阳市中级人民法院",
    "NY-FY-SF": "南阳市中级人民法院诉讼服务中心（12368）",
    "NY-FY-WC": "南阳市宛城区人民法院",
    "NY-FY-WL": "南阳市卧龙区人民法院",
    "NY-FY-NZ": "南召县人民法院",
    "NY-FY-FC": "方城县人民法院",
    "NY-FY-XX": "西峡县人民法院",
    "NY-FY-ZP": "镇平县人民法院",
    "NY-FY-NX": "内乡县人民法院",
    "NY-FY-XC": "淅川县人民法院",
    "NY-FY-SQ": "社旗县人民法院",
    "NY-FY-TH": "唐河县人民法院",
    "NY-FY-XY": "新野县人民法院",
    "NY-FY-TB": "桐柏县人民法院",
    "NY-FY-DZ": "邓州市人民法院",
}


def name_of(unit_code: str | None, *, line: str) -> str:
    """The unit's printed name; an unknown code as its line's organ with the code, so nothing is blank."""
    if not unit_code:
        return ORGAN_OF_LINE.get(line, "")
    if unit_code in NAMES:
        return NAMES[unit_code]
    return f"{ORGAN_OF_LINE.get(line_of_unit(unit_code) or line, '')}（{unit_code}）"
