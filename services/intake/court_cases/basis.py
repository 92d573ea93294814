"""诉讼费用交纳办法 (国务院令第481号, 2006-12-19, in force 2007-04-01) 第六章 司法救助, as data.

The articles the fee-relief rules enforce, and the situations of arts. 45–47 as codes an
application cites (``45.1`` is art. 45 item (一)).  The rules themselves are in fee_relief.py; each
refusal names the article it applies, from `ARTICLES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

INSTRUMENT = "诉讼费用交纳办法"
IN_FORCE_FROM = date(2007, 4, 1)

DEFERRAL, REDUCTION, EXEMPTION = "缓交", "减交", "免交"
KINDS = (DEFERRAL, REDUCTION, EXEMPTION)
STAGES = ("起诉", "上诉")  # art. 48: the application comes with the 起诉 or the 上诉
#: art. 46 ¶2: 减交比例不得低于30%.
MINIMUM_REDUCTION_PERCENT = 30

#: The provisions a rule or a refusal cites, by the name the code uses.
ARTICLES: Mapping[str, str] = {
    "44": "第四十四条：当事人交纳诉讼费用确有困难的，可以申请缓交、减交或者免交诉讼费用的司法救助；诉讼费用的免交只适用于自然人",
    "45": "第四十五条：准予免交诉讼费用的情形",
    "46": "第四十六条：准予减交诉讼费用的情形；减交比例不得低于30%",
    "47": "第四十七条：准予缓交诉讼费用的情形",
    "48": "第四十八条：在起诉或者上诉时提交书面申请和证明材料；不予批准的，应当向当事人书面说明理由",
    "49": "第四十九条：准予缓交的决定应当在决定立案之前作出",
    "50": "第五十条：对方当事人败诉的，诉讼费用由对方当事人负担",
    "51": "第五十一条：准予减交、免交诉讼费用的，应当在法律文书中载明",
}


@dataclass(frozen=True)
class Situation:
    """One situation of arts. 45–47 in which the court 应当准予 the relief of its article."""

    code: str  # "45.1": article and item
    kind: str  # 免交 (art. 45), 减交 (art. 46), 缓交 (art. 47)
    text: str
    catch_all: bool = False  # 确实需要…的其他情形: the court weighs it; an enterprise's usual ground

    @property
    def article(self) -> str:
        return self.code.split(".")[0]

    @property
    def citation(self) -> str:
        item = "一二三四五六七八九"[int(self.code.split(".")[1]) - 1]
        return f"{INSTRUMENT}第{_NUMERALS[self.article]}条第（{item}）项"


_NUMERALS = {"45": "四十五", "46": "四十六", "47": "四十七"}

SITUATIONS: tuple[Situation, ...] = (
    Situation("45.1", EXEMPTION, "残疾人无固定生活来源的"),
    Situation("45.2", EXEMPTION, "追索赡养费、扶养费、抚育费、抚恤金的"),
    Situation("45.3", EXEMPTION, "最低生活保障对象、农村特困定期救济对象、农村五保供养对象或者领取失业保险金人员，无其他收入的"),
    Situation("45.4", EXEMPTION, "因见义勇为或者为保护社会公共利益致使自身合法权益受到损害，本人或者其近亲属请求赔偿或者补偿的"),
    Situation("45.5", EXEMPTION, "确实需要免交的其他情形", catch_all=True),
    Situation("46.1", REDUCTION, "因自然灾害等不可抗力造成生活困难，正在接受社会救济，或者家庭生产经营难以为继的"),
    Situation("46.2", REDUCTION, "属于国家规定的优抚、安置对象的"),
    Situation("46.3", REDUCTION, "社会福利机构和救助管理站"),
    Situation("46.4", REDUCTION, "确实需要减交的其他情形", catch_all=True),
    Situation("47.1", DEFERRAL, "追索社会保险金、经济补偿金的"),
    Situation("47.2", DEFERRAL, "海上事故、交通事故、医疗事故、工伤事故、产品质量事故或者其他人身伤害事故的受害人请求赔偿的"),
    Situation("47.3", DEFERRAL, "正在接受有关部门法律援助的"),
    Situation("47.4", DEFERRAL, "确实需要缓交的其他情形", catch_all=True),
)
BY_CODE: Mapping[str, Situation] = {s.code: s for s in SITUATIONS}


def situations_of(kind: str) -> tuple[Situation, ...]:
    """The situations an application of `kind` may cite."""
    return tuple(s for s in SITUATIONS if s.kind == kind)
