"""What a petition record holds, as data: the categories of each line, who may speak, the enterprise's facts,
and what each channel and category requires beyond the common fields.

The requirements are the desk's practice written down (RULES §1: 信访工作条例 arts. 17–19, the
一次性告知 of missing materials; §2 for 12368): a letter needs an address to be answered, a visit
is checked in person (an ID number) and counts its visitors, a call and an online petition need a
number to call back, a 申诉 names the decision it contests.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events.intake import CATEGORIES as EVENT_CATEGORIES

# The categories of each line are part of the wire vocabulary (triage confirms or corrects them).
CATEGORIES = EVENT_CATEGORIES

PETITIONER_KINDS: dict[str, str] = {
    "natural": "本人（自然人）",
    "enterprise_representative": "企业代表",
    "agent": "代理人",
}
RELATIONS = ("法定代表人", "实际控制人", "股东", "高级管理人员", "员工", "委托代理人", "律师", "其他")
ENTERPRISE_SIZES = ("大", "中", "小", "微")  # 统计上大中小微型企业划分办法 (2017)
OWNERSHIPS = ("民营", "国有", "外资", "混合")
# GB/T 4754-2017 国民经济行业分类, 门类.
INDUSTRIES: dict[str, str] = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业", "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业", "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业",
    "P": "教育", "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
# 信访工作条例 art. 18: a group visit elects representatives, at most 5.
MAX_REPRESENTATIVES = 5
# From how many visitors a visit is a 集体访 that must name its representatives.
GROUP_VISIT_FROM = 5


@dataclass(frozen=True)
class Requirement:
    """A field a channel or category requires, and why (the refusal's message)."""

    field: str
    code: str
    zh: str
    en: str


BY_CHANNEL: dict[str, tuple[Requirement, ...]] = {
    "信": (Requirement("petitioner.address", "required.letter_address", "来信须登记通信地址，以便书面答复",
                       "a letter needs the petitioner's address, to send the written reply"),),
    "访": (Requirement("petitioner.id_number", "required.visit_id_number", "来访须当面核验并登记身份证号码",
                       "a visit is checked in person: the ID number is required"),
           Requirement("visit.visitor_count", "required.visitor_count", "来访须登记来访人数",
                       "a visit records how many came")),
    "电": (Requirement("petitioner.phone", "required.call_phone", "来电须登记回电号码",
                       "a call needs the number to call back"),),
    "网": (Requirement("petitioner.phone", "required.online_phone", "网上反映须留联系电话，以便答复",
                       "an online petition needs a phone number for the reply"),),
}

BY_CATEGORY: dict[str, tuple[Requirement, ...]] = {
    **{name: (Requirement("related_case_number", "required.contested_decision",
                          "申诉须写明所申诉的案件（法院案号或检察文书号）",
                          "a 申诉 names the decision it contests (a court 案号 or a 文书号)"),
              Requirement("facts", "required.facts", "申诉须写明事实", "a 申诉 states its facts"))
       for name in ("刑事申诉", "民事申诉", "行政申诉")},
    "国家赔偿": (Requirement("facts", "required.facts", "国家赔偿申请须写明侵权事实", "a 国家赔偿 claim states the facts"),),
    "控告": (Requirement("facts", "required.facts", "控告须写明被控告的事实", "a 控告 states the facts complained of"),),
    "举报": (Requirement("facts", "required.facts", "举报须写明被举报的事实", "a 举报 states the facts reported"),),
    "联系法官": (Requirement("related_case_number", "required.court_case", "联系法官须写明案号",
                             "contacting a judge names the case (its 案号)"),),
    "案件查询": (Requirement("related_case_number", "required.court_case", "案件查询须写明案号",
                             "a case query names the case (its 案号)"),),
}
