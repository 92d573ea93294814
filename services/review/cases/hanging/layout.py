"""The import layout of 涉企挂案: one row per case, its columns in one table (template, parser and docs read it).

A row holds the case, up to ``GROUPS`` suspects, ``GROUPS`` coercive measures and ``GROUPS`` items
of seized property as repeated column groups (``嫌疑人1姓名`` … ``嫌疑人3姓名``): a clerk fills it in
Excel without learning a separator syntax, and a case with more goes in by hand after the import.
Columns are found by their header text (any order; an unknown header is an error, so a typo is not
silently dropped).  Enumerations are written in Chinese, as the clerk reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.review.cases.hanging.models import MEASURE_TEXT, PROPERTY_TEXT, SUSPECT_ROLE_TEXT

#: How many suspects, measures and property items a row holds.
GROUPS = 3

DATE = "date"
TEXT = "text"
AMOUNT = "amount"
CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    key: str  # the machine name: case_number, suspect1_name, measure2_lifted_on, ...
    header: str  # the header text in row 1
    kind: str  # text | date | amount | choice
    required: bool  # required in every row (group columns: required once the group is used)
    note: str  # what goes in it (the template's 说明 sheet and docs/review/hanging-cases.md)
    choices: tuple[str, ...] = ()
    max_length: int = 200


CASE_COLUMNS: tuple[Column, ...] = (
    Column("case_number", "案号", TEXT, True,
           "公安机关立案号：立案决定书文号如 宛公经立字〔2026〕15号（年份须为立案年份），或警综平台案件编号 A+22位数字", max_length=64),
    Column("investigating_organ", "侦查机关", TEXT, True, "立案的侦查机关全称，如 南阳市公安局经济犯罪侦查支队", max_length=100),
    Column("investigating_organ_code", "侦查机关代码", TEXT, False, "可选：机关代码（12位）", max_length=40),
    Column("case_title", "案件名称", TEXT, True, "如 某某公司涉嫌合同诈骗案"),
    Column("charge", "罪名", TEXT, True, "涉嫌罪名，如 合同诈骗罪", max_length=100),
    Column("filed_on", "立案日期", DATE, True, "日期：2026-03-15，或 Excel 日期单元格；不得晚于今天"),
    Column("enterprise_name", "涉案企业名称", TEXT, True, "企业全称"),
    Column("enterprise_credit_code", "统一社会信用代码", TEXT, False, "可选：18位，按 GB 32100 校验", max_length=18),
    Column("investigation_concluded_on", "侦查终结日期", DATE, False, "可选：不早于立案日期，不晚于今天"),
    Column("notes", "备注", TEXT, False, "可选", max_length=2000),
)

_ROLES = tuple(SUSPECT_ROLE_TEXT.values())
_MEASURES = tuple(MEASURE_TEXT.values())
_PROPERTY = tuple(PROPERTY_TEXT.values())


def _suspect(n: int) -> tuple[Column, ...]:
    return (
        Column(f"suspect{n}_name", f"嫌疑人{n}姓名", TEXT, True, "犯罪嫌疑人姓名", max_length=100),
        Column(f"suspect{n}_id_number", f"嫌疑人{n}身份证号", TEXT, False, "可选：18位公民身份号码（GB 11643 校验），入库加密", max_length=18),
        Column(f"suspect{n}_role", f"嫌疑人{n}企业职务", CHOICE, True, "在企业中的身份：" + "、".join(_ROLES), _ROLES),
    )


def _measure(n: int) -> tuple[Column, ...]:
    return (
        Column(f"measure{n}_kind", f"强制措施{n}种类", CHOICE, True, "强制措施：" + "、".join(_MEASURES), _MEASURES),
        Column(f"measure{n}_suspect", f"强制措施{n}对象", TEXT, False, "可选：被采取措施的嫌疑人姓名（须为本行嫌疑人之一）", max_length=100),
        Column(f"measure{n}_started_on", f"强制措施{n}开始日期", DATE, True, "不早于立案日期，不晚于今天"),
        Column(f"measure{n}_ends_on", f"强制措施{n}到期日期", DATE, False,
               "可选：期限届满日，不早于开始日期；取保候审不超过12个月、监视居住不超过6个月（刑诉法第79条）"),
        Column(f"measure{n}_lifted_on", f"强制措施{n}解除日期", DATE, False, "可选：不早于开始日期，不晚于今天"),
    )


def _property(n: int) -> tuple[Column, ...]:
    return (
        Column(f"property{n}_kind", f"涉案财物{n}类别", CHOICE, True, "查扣冻类别：" + "、".join(_PROPERTY), _PROPERTY),
        Column(f"property{n}_description", f"涉案财物{n}描述", TEXT, True, "如 银行账户 6222****1234 存款", max_length=500),
        Column(f"property{n}_amount", f"涉案财物{n}金额", AMOUNT, False, "可选：金额（元），不小于0，最多两位小数"),
        Column(f"property{n}_seized_on", f"涉案财物{n}查扣日期", DATE, False, "可选：不晚于今天"),
        Column(f"property{n}_returned_on", f"涉案财物{n}返还日期", DATE, False, "可选：不早于查扣日期，不晚于今天"),
    )


SUSPECT_GROUPS = tuple(_suspect(n) for n in range(1, GROUPS + 1))
MEASURE_GROUPS = tuple(_measure(n) for n in range(1, GROUPS + 1))
PROPERTY_GROUPS = tuple(_property(n) for n in range(1, GROUPS + 1))

COLUMNS: tuple[Column, ...] = (
    CASE_COLUMNS
    + tuple(c for g in SUSPECT_GROUPS for c in g)
    + tuple(c for g in MEASURE_GROUPS for c in g)
    + tuple(c for g in PROPERTY_GROUPS for c in g)
)
BY_HEADER = {c.header: c for c in COLUMNS}
BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = tuple(c.header for c in COLUMNS)

ROLE_OF_TEXT = {v: k for k, v in SUSPECT_ROLE_TEXT.items()}
MEASURE_OF_TEXT = {v: k for k, v in MEASURE_TEXT.items()}
PROPERTY_OF_TEXT = {v: k for k, v in PROPERTY_TEXT.items()}
