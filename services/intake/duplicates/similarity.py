"""Chinese text similarity of two short petitions (事由 and 诉求): is it the same matter (同一事项)?

Pure Python, no dictionary, no model, no external service: petitions are short (a subject of a
dozen characters, a claim of one to three sentences), the comparison runs against the few earlier
petitions of one person or one enterprise (usually under 50), and the rule must be explainable to
a clerk.  The method (docs/duplicates.md has the measurements):

1. `normalise`: NFKC (full-width → half-width), lower case, a few variant characters folded
   (帐 → 账), every character that is not a letter or digit dropped (punctuation, spaces), then
   the boilerplate of `STOP_PHRASES` removed: words every petition uses (请求, 依法, 我公司 ...)
   say nothing about which matter it is, and left in they make two different matters of one
   enterprise look alike.
2. `features`: character bigrams and unigrams, counted.  Chinese has no spaces; a bigram is the
   cheapest unit that keeps words like 冻结 or 工程款 together and survives a one-character typo,
   and the unigrams still match when the words are reordered or said with a near synonym that
   shares a character (车辆 / 货车, 返还 / 发还), which is how people re-tell the same matter.
3. `text_similarity`: the cosine of the two count vectors.  Cosine is normalised by length, so a
   re-petition that adds a sentence of detail is not pushed down as far as with Dice or Jaccard
   (docs/duplicates.md compares them on the labelled pairs).
4. `similarity`: subject and claim are compared on their own and together (subject + claim as
   one text, which also covers a petition registered without a subject); the score is the larger
   of the weighted mean (`SUBJECT_WEIGHT` on the subject) and the joint comparison.
5. A text with fewer than `MIN_CONTENT` characters left after normalising scores 0.
6. Two different 案号 (court case numbers such as (2022)豫1302执856号) name two different cases:
   when both petitions cite case numbers and they share none, the score is multiplied by
   `DIFFERENT_CASE_NUMBER_FACTOR`.

`THRESHOLD` is the score at and above which a petition counts as a 重复件 of an earlier one; it
was chosen on the labelled pairs of tests/data/duplicates/pairs.jsonl with
`python -m tests.unit.services.intake.duplicates.curve` (docs/duplicates.md: how, and the curve).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# Chosen on the labelled set (docs/duplicates.md): the highest recall whose precision stays at or
# above 0.9, rounded up; a false link hides a petition from triage, a missed one only opens a
# second track, so precision is the constraint and recall what is maximised.
THRESHOLD = 0.55

# Words of every petition, not of its matter: removed before comparing.  Longest first matters
# only for overlapping phrases (本公司 before 公司 would be wrong the other way round).
STOP_PHRASES: tuple[str, ...] = (
    # asking
    "请求", "要求", "申请", "恳请", "希望", "请", "予以", "依法", "依规", "尽快", "立即", "督促",
    # who is asking
    "我公司", "本公司", "本企业", "我企业", "我单位", "本单位", "我方", "本人", "我们", "企业",
    # whom it is addressed to
    "贵院", "人民", "检察院", "检察机关", "有关部门", "相关部门",
    # petition words
    "反映", "问题", "事项", "关于", "情况", "一事", "再次", "第二次", "上次", "此前", "至今",
    # function characters
    "的", "了", "和", "及", "并", "对",
)
# Variant and easily confused characters folded before comparing (帐户 and 账户 are one word).
VARIANTS = str.maketrans({"帐": "账", "欵": "款"})
SUBJECT_WEIGHT = 0.4
# A petition that says less than this after the boilerplate is gone ("请求依法处理") says too
# little to tell its matter: it is never linked (scores 0), whatever it is compared with.
MIN_CONTENT = 4
DIFFERENT_CASE_NUMBER_FACTOR = 0.3

_STOP_RE = re.compile("|".join(re.escape(p) for p in sorted(STOP_PHRASES, key=len, reverse=True)))
_NOT_WORD_RE = re.compile(r"[\W_]+")
# 案号 as cited in a petition: (年份)法院代字+类型代字+序号号, e.g. (2022)豫1302执856号.
_CASE_NUMBER_RE = re.compile(r"[(（〔\[]\s*(\d{4})\s*[)）〕\]]\s*([\u4e00-\u9fff]{0,2}\d{0,4}[\u4e00-\u9fff]{1,4})\s*(\d+)\s*号")


@dataclass(frozen=True)
class Score:
    """One comparison: the score, and its parts (kept for the audit row and the clerk's page)."""

    value: float
    subject: float | None  # None: one of the two has no subject
    claim: float
    joint: float
    different_case_numbers: bool

    def is_duplicate(self, threshold: float = THRESHOLD) -> bool:
        return self.value >= threshold


def normalise(text: str) -> str:
    """The text as compared: NFKC, lower case, variants folded, no punctuation or spaces, no boilerplate."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(VARIANTS)
    return _STOP_RE.sub("", _NOT_WORD_RE.sub("", folded))


def features(text: str) -> Counter[str]:
    """Counts of the character bigrams and unigrams of a normalised text."""
    grams: Counter[str] = Counter(text[i:i + 2] for i in range(len(text) - 1))
    grams.update(text)  # one character never equals two, so the two kinds cannot collide
    return grams


def text_similarity(a: str, b: str) -> float:
    """0..1: how alike two raw texts are (cosine of their bigram-and-unigram counts)."""
    fa, fb = features(normalise(a)), features(normalise(b))
    if not fa or not fb:
        return 0.0
    dot = sum(count * fb[gram] for gram, count in fa.items())
    norm = math.sqrt(sum(c * c for c in fa.values()) * sum(c * c for c in fb.values()))
    return dot / norm


def case_numbers(text: str) -> frozenset[str]:
    """The 案号 a text cites, normalised ("(2022)豫1302执856号" however bracketed or spaced)."""
    folded = unicodedata.normalize("NFKC", text)
    return frozenset(f"({year}){court}{seq}号" for year, court, seq in _CASE_NUMBER_RE.findall(folded))


def similarity(subject_a: str, claim_a: str, subject_b: str, claim_b: str) -> Score:
    """How alike two petitions are, from their subjects (事由, may be empty) and claims (诉求)."""
    subject_a, subject_b = subject_a.strip(), subject_b.strip()
    if min(len(normalise(subject_a + claim_a)), len(normalise(subject_b + claim_b))) < MIN_CONTENT:
        return Score(0.0, None, 0.0, 0.0, False)
    claim = text_similarity(claim_a, claim_b)
    joint = text_similarity(f"{subject_a}{claim_a}", f"{subject_b}{claim_b}")
    subject: float | None = None
    value = joint
    if subject_a and subject_b:
        subject = text_similarity(subject_a, subject_b)
        value = max(joint, SUBJECT_WEIGHT * subject + (1 - SUBJECT_WEIGHT) * claim)
    numbers_a = case_numbers(f"{subject_a} {claim_a}")
    numbers_b = case_numbers(f"{subject_b} {claim_b}")
    different = bool(numbers_a and numbers_b and not numbers_a & numbers_b)
    if different:
        value *= DIFFERENT_CASE_NUMBER_FACTOR
    return Score(round(value, 4), None if subject is None else round(subject, 4), round(claim, 4), round(joint, 4),
                 different)
