"""Import files of 涉企挂案 for tests and the benchmark: rows by header text, written as XLSX or CSV.

Numbers are made valid here (the check characters computed), so a test that wants a bad one
says so explicitly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from services.review.cases.hanging import layout
from shared.identifiers import credit_code as _credit
from shared.identifiers import id_card as _id


def id_number(n: int, born: date = date(1980, 1, 1)) -> str:
    """A valid 公民身份号码 of 宛城区 (411302), born ``born`` + n days, serial n."""
    first17 = f"411302{(born + timedelta(days=n % 9000)).strftime('%Y%m%d')}{n % 1000:03d}"
    return first17 + _id.check_character(first17)


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 of a company registered in 南阳 (411300)."""
    first17 = f"91411300{n:09d}"
    return first17 + _credit.check_character(first17)


def row(n: int, *, filed_on: date = date(2024, 3, 15), **overrides: Any) -> dict[str, Any]:
    """One good row (header text -> value): a case with a suspect, a 取保候审 and frozen property."""
    values: dict[str, Any] = {
        "案号": f"宛公经立字〔{filed_on.year}〕{n}号", "侦查机关": "南阳市公安局经济犯罪侦查支队",
        "案件名称": f"南阳某某{n}号公司涉嫌合同诈骗案", "罪名": "合同诈骗罪", "立案日期": filed_on.isoformat(),
        "涉案企业名称": f"南阳某某{n}号科技有限公司", "统一社会信用代码": credit_code(n),
        "嫌疑人1姓名": f"张{n}", "嫌疑人1身份证号": id_number(n), "嫌疑人1企业职务": "法定代表人",
        "强制措施1种类": "取保候审", "强制措施1对象": f"张{n}",
        "强制措施1开始日期": (filed_on + timedelta(days=5)).isoformat(),
        "强制措施1到期日期": (filed_on + timedelta(days=300)).isoformat(),
        "涉案财物1类别": "冻结", "涉案财物1描述": "对公账户存款", "涉案财物1金额": "1200000.00",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def headers_of(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    used = {k for r in rows for k in r}
    return [h for h in layout.HEADERS if h in used] + sorted(used - set(layout.HEADERS))


def xlsx(rows: list[Mapping[str, Any]], headers: list[str] | None = None) -> bytes:
    heads = headers or headers_of(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("挂案")
    sheet.append(heads)
    for r in rows:
        sheet.append([r.get(h) for h in heads])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: list[Mapping[str, Any]], *, encoding: str = "utf-8", bom: bool = False,
             headers: list[str] | None = None) -> bytes:
    heads = headers or headers_of(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(heads)
    for r in rows:
        writer.writerow(["" if r.get(h) is None else str(r.get(h)) for h in heads])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def stored_case(factory: Any, *, unit: str = "NY-JCY-XS", number: int = 1, filed_on: date = date(2024, 3, 15)) -> str:
    """A case written straight into review's database (one suspect, one 取保, one frozen account): its id."""
    from services.review.cases.hanging.models import HangingCase, HangingCaseMeasure, HangingCaseProperty, HangingCaseSuspect

    with factory() as session, session.begin():
        case = HangingCase(unit_code=unit, case_number=f"宛公经立字〔{filed_on.year}〕{number}号",
                           investigating_organ="南阳市公安局经济犯罪侦查支队", case_title=f"某{number}号公司涉嫌合同诈骗案",
                           charge="合同诈骗罪", filed_on=filed_on, status="open", enterprise_name=f"南阳某{number}号科技有限公司",
                           source="manual", created_by="test")
        case.suspects = [HangingCaseSuspect(position=0, name=f"张{number}", role="legal_representative",
                                            id_number=id_number(number))]
        case.measures = [HangingCaseMeasure(position=0, kind="bail", suspect_name=f"张{number}",
                                            started_on=filed_on + timedelta(days=5),
                                            ends_on=filed_on + timedelta(days=300))]
        case.property_items = [HangingCaseProperty(position=0, kind="frozen", description="对公账户存款")]
        session.add(case)
        session.flush()
        return case.id
