"""The grounds of the 失信 规定 (2017修正) as data: art. 1 (listing), art. 10 (deletion).

The texts are RULES.md §6's paraphrase of the 2017 articles (read from secondary copies only); the
code keeps them as data so a page, a document and a test read the same words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingGround:
    item: int  # 第一条 第（item）项
    text: str
    fixed_term: bool  # art. 2: items 2–6 run two years; item 1 lasts until performance


#: 第一条: 被执行人未履行生效法律文书确定的义务，并具有下列情形之一的.
LISTING_GROUNDS = {
    1: ListingGround(1, "有履行能力而拒不履行生效法律文书确定义务", False),
    2: ListingGround(2, "以伪造证据、暴力、威胁等方法妨碍、抗拒执行", True),
    3: ListingGround(3, "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行", True),
    4: ListingGround(4, "违反财产报告制度", True),
    5: ListingGround(5, "违反限制消费令", True),
    6: ListingGround(6, "无正当理由拒不履行执行和解协议", True),
}

#: 第二条: the term of items 2–6, and by how much it may be extended (violent or threatening
#: obstruction that is serious, or several breaches).
BASE_TERM_YEARS = 2
EXTENSION_YEARS = (1, 2, 3)


@dataclass(frozen=True)
class RemovalGround:
    code: str
    text: str
    # 申请执行人申请删除: the creditor may not ask to re-list the debtor for six months after.
    blocks_relisting: bool = False
    # 终本: at least two network searches (网络查控) found neither assets nor leads.
    needs_searches: bool = False


#: 第十条: the court deletes the record within three working days when one of these is recorded.
REMOVAL_GROUNDS = {
    g.code: g for g in (
        RemovalGround("performed", "被执行人已履行生效法律文书确定的全部义务"),
        RemovalGround("executed", "被执行人的义务已被全部执行完毕"),
        RemovalGround("settlement_performed", "当事人达成执行和解协议且已履行完毕"),
        RemovalGround("creditor_request", "申请执行人书面申请删除失信信息，人民法院审查同意", blocks_relisting=True),
        RemovalGround("no_assets", "终结本次执行程序后，通过网络执行查控系统查询被执行人财产两次以上，未发现有可供执行财产，"
                                   "且申请执行人或者其他人未提供有效财产线索", needs_searches=True),
        RemovalGround("suspended", "因审判监督或破产程序，人民法院依法裁定对失信被执行人中止执行"),
        RemovalGround("not_enforced", "人民法院依法裁定不予执行"),
        RemovalGround("terminated", "人民法院依法裁定终结执行"),
    )
}
#: Removed because the fixed term ran out (第十条第二款: within three working days after expiry).
EXPIRY = "expiry"
EXPIRY_TEXT = "失信期限届满"
#: The minimum of network searches a 终本 removal needs.
MIN_SEARCHES = 2

#: What the 诚信证明 says was performed, for the grounds where something was.
PERFORMANCE_GROUNDS = ("performed", "executed", "settlement_performed")


def removal_text(code: str | None) -> str:
    if code == EXPIRY:
        return EXPIRY_TEXT
    ground = REMOVAL_GROUNDS.get(code or "")
    return ground.text if ground else (code or "")
