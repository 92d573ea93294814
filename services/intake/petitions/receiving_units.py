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
    # The 中院's divisions (审判业务庭、局): a judge of one may register a contact taken himself.
    "NY-FY-LA": "南阳市中级人民法院立案庭",
    "NY-FY-MS1": "南阳市中级人民法院民事审判第一庭",
    "NY-FY-MS2": "南阳市中级人民法院民事审判第二庭",
    "NY-FY-MS4": "南阳市中级人民法院民事审判第四庭（商事审判庭）",
    "NY-FY-XS1": "南阳市中级人民法院刑事审判第一庭",
    "NY-FY-XZ": "南阳市中级人民法院行政审判庭",
    "NY-FY-ZX": "南阳市中级人民法院执行局",
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


# 机关代字: the short name an organ writes before the year of its numbers (GB/T 9704 发文字号:
# 代字 + 〔年份〕 + 序号 + 号).  Petition case numbers (services/intake/numbering) begin with it.
# Organs only: a department numbers under its organ (ORGAN_OF_DEPARTMENT).  These are huhang's
# working 代字, to be confirmed by each organ's 办公室 (no published list was found); the courts'
# avoid the 案号 codes (豫13, 豫1302…) on purpose: a petition number must never pass for a 案号.
DAIZI: dict[str, str] = {
    "NY-JCY": "宛检",
    "NY-JCY-WC": "宛城检",
    "NY-JCY-WL": "卧检",
    "NY-JCY-NZ": "召检",
    "NY-JCY-FC": "方检",
    "NY-JCY-XX": "西检",
    "NY-JCY-ZP": "镇检",
    "NY-JCY-NX": "内检",
    "NY-JCY-XC": "淅检",
    "NY-JCY-SQ": "社检",
    "NY-JCY-TH": "唐检",
    "NY-JCY-XY": "新检",
    "NY-JCY-TB": "桐检",
    "NY-JCY-DZ": "邓检",
    # Courts take the place name whole (方城法, not 方法): one-character forms read as words.
    "NY-FY": "宛中法",
    "NY-FY-WC": "宛城法",
    "NY-FY-WL": "卧龙法",
    "NY-FY-NZ": "南召法",
    "NY-FY-FC": "方城法",
    "NY-FY-XX": "西峡法",
    "NY-FY-ZP": "镇平法",
    "NY-FY-NX": "内乡法",
    "NY-FY-XC": "淅川法",
    "NY-FY-SQ": "社旗法",
    "NY-FY-TH": "唐河法",
    "NY-FY-XY": "新野法",
    "NY-FY-TB": "桐柏法",
    "NY-FY-DZ": "邓州法",
}

# The departments that register petitions, and the organ whose 代字 and counter they number under:
# what a department receives, its organ (the 院) has received.
ORGAN_OF_DEPARTMENT: dict[str, str] = {
    "NY-JCY-KS": "NY-JCY",
    "NY-JCY-XS": "NY-JCY",
    "NY-JCY-XZ": "NY-JCY",
    "NY-JCY-MS": "NY-JCY",
    "NY-FY-SF": "NY-FY",
    "NY-FY-LA": "NY-FY",
    "NY-FY-MS1": "NY-FY",
    "NY-FY-MS2": "NY-FY",
    "NY-FY-MS4": "NY-FY",
    "NY-FY-XS1": "NY-FY",
    "NY-FY-XZ": "NY-FY",
    "NY-FY-ZX": "NY-FY",
}
ORGAN_CODE_OF_LINE = {"12309": "NY-JCY", "12368": "NY-FY"}


# The organs the public may address an online petition to (网上信访): the city's two service
# centres and the county-level organs; departments receive through their centre.
_CENTRES = {"12309": "NY-JCY-KS", "12368": "NY-FY-SF"}
# Of the city organs (the centres among them, and the 中院's divisions: NY-FY-XZ is its 行政庭).
_DEPARTMENTS = frozenset({"KS", "XS", "XZ", "MS", "SF", "LA", "MS1", "MS2", "MS4", "XS1", "ZX"})


def public_receivers(line: str) -> dict[str, str]:
    """Unit code → name of the organs of `line` that take online petitions, the centre first."""
    centre = _CENTRES.get(line)
    if centre is None:
        return {}
    prefix = "NY-JCY-" if line == "12309" else "NY-FY-"
    counties = {code: name for code, name in NAMES.items()
                if code.startswith(prefix) and code.removeprefix(prefix) not in _DEPARTMENTS}
    return {centre: NAMES[centre], **dict(sorted(counties.items()))}


def centre_of(line: str) -> str:
    """The unit that receives a line's online petitions when the petitioner names none."""
    return _CENTRES[line]
