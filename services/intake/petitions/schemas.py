"""Request and response schemas of the petition API."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate, validates_schema
from sqlalchemy.orm import object_session

from services.intake.credentials import codes
from services.intake.petitions import record
from shared.calendar import beijing_date, beijing_today
from shared.events.intake import CHANNELS, LINES
from shared.identifiers import fields as ids
from shared.pii import mask_id_number, mask_name, mask_phone
from shared.validation import invalid
from shared.web.pagination import PageArgs

# The categories of each line (record.py keeps them with the other facts of the record).
PETITION_TYPES: dict[str, tuple[str, ...]] = record.CATEGORIES
_TEXT = validate.Length(min=1, max=20000)


class PetitionerIn(Schema):
    """Who brings the matter: the person, an enterprise's representative, or an agent."""

    class Meta:
        unknown = RAISE

    kind = fields.String(load_default="natural", validate=validate.OneOf(record.PETITIONER_KINDS),
                         metadata={"description": "natural 本人, enterprise_representative 企业代表, agent 代理人"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={"example": "张三"})
    id_number = ids.IdNumber(
        load_default=None, allow_none=True,
        metadata={"description": "居民身份证号码 (GB 11643: check character, birth date, GB/T 2260 address code)",
                  "example": "411302199001011236"})
    phone = ids.Phone(load_default=None, allow_none=True,
                      metadata={"description": "手机, 带区号的固定电话, or 400/800", "example": "13800138000"})
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    relation = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(record.RELATIONS),
                             metadata={"description": "与企业的关系: " + "、".join(record.RELATIONS)})


class EnterpriseIn(Schema):
    """The enterprise the matter concerns (涉企)."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "南阳市宛城区示例机械有限公司"})
    credit_code = ids.CreditCode(
        required=True, metadata={"description": "统一社会信用代码 (GB 32100)", "example": "91411302MA44TFGN0Q"})
    size = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(record.ENTERPRISE_SIZES),
                         metadata={"description": "大 中 小 微"})
    industry = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(record.INDUSTRIES),
                             metadata={"description": "GB/T 4754-2017 门类 A–T", "example": "C"})
    ownership = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(record.OWNERSHIPS),
                              metadata={"description": "民营 国有 外资 混合"})


class RepresentativeIn(Schema):
    """A representative of a group visit."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    id_number = ids.IdNumber(load_default=None, allow_none=True)
    phone = ids.Phone(load_default=None, allow_none=True)


class LetterIn(Schema):
    """来信: what the envelope says."""

    class Meta:
        unknown = RAISE

    postmarked_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "邮戳日期, where legible"})


class VisitIn(Schema):
    """来访: how many came, and the representatives a group elected (at most 5)."""

    class Meta:
        unknown = RAISE

    visitor_count = fields.Integer(required=True, validate=validate.Range(min=1, max=10000))
    representatives = fields.List(fields.Nested(RepresentativeIn), load_default=list,
                                  validate=validate.Length(max=record.MAX_REPRESENTATIVES))


def _path(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


class PetitionCreate(Schema):
    """A petition as the intake clerk registers it: a letter, a visit, a call, or a forwarded online petition."""

    class Meta:
        unknown = RAISE

    line = fields.String(required=True, validate=validate.OneOf(LINES), metadata={"example": "12309"})
    channel = fields.String(
        required=True, validate=validate.OneOf(CHANNELS), metadata={"description": "信 letter, 访 visit, 网 web, 电 phone", "example": "网"}
    )
    petition_type = fields.String(required=True, metadata={"description": "类别: see PETITION_TYPES per line", "example": "控告"})
    petitioner = fields.Nested(PetitionerIn, required=True)
    enterprise = fields.Nested(EnterpriseIn, load_default=None, allow_none=True)
    subject = fields.String(required=True, validate=validate.Length(min=2, max=100),
                            metadata={"description": "事由: the matter in one line", "example": "企业账户被冻结两年未解除"})
    claim = fields.String(required=True, validate=validate.Length(min=1, max=4000), metadata={"description": "诉求", "example": "请求依法撤销对本企业账户的冻结措施"})
    facts = fields.String(load_default=None, allow_none=True, validate=_TEXT, metadata={"description": "事实"})
    reasons = fields.String(load_default=None, allow_none=True, validate=_TEXT, metadata={"description": "理由"})
    related_case_number = ids.RelatedCaseNumber(
        load_default=None, allow_none=True,
        metadata={"description": "关联案件: a court 案号 (2016 rules) or a procuratorate 文书号",
                  "example": "（2022）豫13民初1234号"})
    received_at = fields.AwareDateTime(
        load_default=None, allow_none=True, format="iso",
        metadata={"description": "When the petition arrived (for letters registered later); defaults to now"},
    )
    letter = fields.Nested(LetterIn, load_default=None, allow_none=True, metadata={"description": "信 only"})
    visit = fields.Nested(VisitIn, load_default=None, allow_none=True, metadata={"description": "访 only"})

    @validates_schema
    def _record_rules(self, data: dict[str, Any], **_: Any) -> None:
        problems: dict[str, list[Any]] = {}

        def refuse(field: str, code: str, zh: str, en: str) -> None:
            problems.setdefault(field, []).extend(invalid(code, zh, en).messages)

        line, channel = data.get("line", ""), data.get("channel", "")
        allowed = PETITION_TYPES.get(line, ())
        if data.get("petition_type") not in allowed:
            refuse("petition_type", "petition_type.not_of_line",
                   f"类型须为 {'、'.join(allowed)} 之一", f"petition_type must be one of {', '.join(allowed)}")
        if data.get("letter") and channel != "信":
            refuse("letter", "letter.not_a_letter", "只有来信登记邮戳信息", "letter details belong to a letter (信)")
        if data.get("visit") and channel != "访":
            refuse("visit", "visit.not_a_visit", "只有来访登记来访人数和代表", "visit details belong to a visit (访)")
        for requirement in (*record.BY_CHANNEL.get(channel, ()), *record.BY_CATEGORY.get(data.get("petition_type", ""), ())):
            if not _path(data, requirement.field):
                refuse(requirement.field, requirement.code, requirement.zh, requirement.en)
        self._petitioner_rules(data, refuse)
        self._visit_rules(data, refuse)
        self._date_rules(data, refuse)
        related = data.get("related_case_number")
        if related is not None and line == "12368" and related.kind != "court":
            refuse("related_case_number", "related_case.not_a_court_case", "12368 事项的关联案件须为法院案号",
                   "a 12368 matter's related case is a court 案号")
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def _petitioner_rules(data: dict[str, Any], refuse: Any) -> None:
        petitioner = data.get("petitioner") or {}
        kind = petitioner.get("kind", "natural")
        if kind == "enterprise_representative" and not data.get("enterprise"):
            refuse("enterprise", "required.represented_enterprise", "企业代表须登记所代表的企业",
                   "an enterprise representative names the enterprise")
        if kind != "natural" and not petitioner.get("relation"):
            refuse("petitioner.relation", "required.relation", "代表或代理的，须写明与企业或当事人的关系",
                   "a representative or agent states their relation")

    @staticmethod
    def _visit_rules(data: dict[str, Any], refuse: Any) -> None:
        visit = data.get("visit")
        if not visit:
            return
        count, representatives = visit.get("visitor_count", 0), visit.get("representatives") or []
        if count >= record.GROUP_VISIT_FROM and not representatives:
            refuse("visit.representatives", "visit.representatives_required",
                   f"{record.GROUP_VISIT_FROM}人以上集体来访须推选代表（不超过{record.MAX_REPRESENTATIVES}人）",
                   f"a group visit of {record.GROUP_VISIT_FROM} or more names its representatives "
                   f"(at most {record.MAX_REPRESENTATIVES})")
        if len(representatives) > count:
            refuse("visit.representatives", "visit.more_representatives_than_visitors",
                   "代表人数不能多于来访人数", "more representatives than visitors")

    @staticmethod
    def _date_rules(data: dict[str, Any], refuse: Any) -> None:
        postmarked = (data.get("letter") or {}).get("postmarked_on")
        if postmarked is None:
            return
        received = data.get("received_at")
        received_on = beijing_date(received) if received else beijing_today()
        if postmarked > received_on:
            refuse("letter.postmarked_on", "letter.postmark_after_receipt", "邮戳日期不能晚于收信日期",
                   "the postmark cannot be later than the day the letter arrived")


PETITION_EXAMPLE: dict[str, Any] = {
    "line": "12309",
    "channel": "网",
    "petition_type": "控告",
    "petitioner": {"kind": "enterprise_representative", "name": "张三", "id_number": "411302199001011236",
                   "phone": "13800138000", "relation": "法定代表人"},
    "enterprise": {"name": "南阳市宛城区示例机械有限公司", "credit_code": "91411302MA44TFGN0Q", "size": "小",
                   "industry": "C", "ownership": "民营"},
    "subject": "企业账户被冻结两年未解除",
    "claim": "请求依法撤销对本企业账户的冻结措施",
    "facts": "2022年3月，本企业账户被冻结，至今未解除。",
}


class PetitionerRead(Schema):
    name = fields.String()
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)

    @post_dump
    def _mask(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Personal numbers never leave the service unmasked through this schema.
        data["name"] = mask_name(data.get("name"))
        data["id_number"] = mask_id_number(data.get("id_number"))
        data["phone"] = mask_phone(data.get("phone"))
        return data


class EnterpriseRead(Schema):
    name = fields.String()
    credit_code = fields.String()
    size = fields.String(allow_none=True)
    industry = fields.String(allow_none=True)
    ownership = fields.String(allow_none=True)


class PetitionRead(Schema):
    id = fields.String()
    case_number = fields.String()
    line = fields.String()
    channel = fields.String()
    petition_type = fields.String()
    status = fields.String()
    is_enterprise = fields.Boolean()
    subject = fields.String(allow_none=True)
    petitioner = fields.Method("_petitioner")
    enterprise = fields.Method("_enterprise", allow_none=True)
    claim = fields.String()
    related_case = fields.Method("_related_case", allow_none=True)
    letter = fields.Method("_letter", allow_none=True)
    visit = fields.Method("_visit", allow_none=True)
    received_at = fields.AwareDateTime(format="iso")
    received_on = fields.Date()
    possible_duplicate_of = fields.String(
        allow_none=True, metadata={"description": "deprecated: duplicate_of.petition_id (the original case's id)"}
    )
    duplicate_of = fields.Method(
        "_duplicate_of", allow_none=True,
        metadata={"description": "重复件: the earlier case this petition is linked to (docs/duplicates.md), or null"},
    )

    def _petitioner(self, obj: Any) -> dict[str, Any]:
        dumped: dict[str, Any] = PetitionerRead().dump(
            {"name": obj.petitioner_name, "id_number": obj.petitioner_id_number, "phone": obj.petitioner_phone}
        )
        return {"kind": obj.petitioner_kind, **dumped, "relation": obj.petitioner_relation}

    def _duplicate_of(self, obj: Any) -> dict[str, Any] | None:
        if not obj.possible_duplicate_of:  # kept equal to the active link's original: no query otherwise
            return None
        from services.intake.duplicates.service import summary_of

        return summary_of(object_session(obj), obj.id)

    def _enterprise(self, obj: Any) -> dict[str, Any] | None:
        if not obj.enterprise_name:
            return None
        return {"name": obj.enterprise_name, "credit_code": obj.enterprise_credit_code, "size": obj.enterprise_size,
                "industry": obj.enterprise_industry, "ownership": obj.enterprise_ownership}

    def _related_case(self, obj: Any) -> dict[str, Any] | None:
        if not obj.related_case_number:
            return None
        return {"number": obj.related_case_number, "kind": obj.related_case_kind, "year": obj.related_case_year,
                "organ": obj.related_case_organ, "type_code": obj.related_case_type}

    def _letter(self, obj: Any) -> dict[str, Any] | None:
        if obj.channel != "信":
            return None
        return {"postmarked_on": obj.postmarked_on.isoformat() if obj.postmarked_on else None}

    def _visit(self, obj: Any) -> dict[str, Any] | None:
        if obj.channel != "访":
            return None
        representatives = [PetitionerRead().dump({"name": r.name, "id_number": r.id_number, "phone": r.phone})
                           for r in obj.representatives]
        return {"visitor_count": obj.visitor_count, "representatives": representatives}


class PetitionRegistered(PetitionRead):
    """The answer to a registration: the petition, and the query code for its 受理回执.

    Only this answer carries the code: it is kept as a slow hash, so reading a petition cannot
    show it, and a replayed registration (same Idempotency-Key) answers null.
    """

    query_code = fields.Method(
        "_query_code", allow_none=True,
        metadata={"description": "查询码: give it to the petitioner with the receipt; with the case number it opens "
                                 "the public status query. Shown once: null on an idempotent replay (re-issue it "
                                 "with POST /api/v1/petitions/{id}/query-code if it was lost)",
                  "example": "7KQ-3XM-9TA"},
    )

    def _query_code(self, obj: Any) -> str | None:
        return codes.display(getattr(obj, "query_code", None))


class RegisteredPetition:
    """A petition with the code issued with it, as `PetitionRegistered` dumps it."""

    def __init__(self, petition: Any, query_code: str | None) -> None:
        self._petition = petition
        self.query_code = query_code

    def __getattr__(self, name: str) -> Any:
        return getattr(self._petition, name)


class QueryCodeReissueIn(Schema):
    """Why a new 查询码 is issued (kept in the audit log): a lost receipt, a code seen by others."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=2, max=500), metadata={"example": "信访人遗失受理回执"})


class QueryCodeIssued(Schema):
    petition_id = fields.String()
    case_number = fields.String()
    query_code = fields.String(metadata={"description": "the new code, shown once; the earlier one no longer works"})


class ReceiptCodeIn(Schema):
    """The 查询码 given at registration (or re-issue), to be printed on the PDF 受理回执; checked against its hash."""

    class Meta:
        unknown = RAISE

    query_code = fields.String(required=True, validate=validate.Length(min=1, max=40),
                               metadata={"example": "7KQ-3XM-9TA"})


class PetitionListArgs(PageArgs):
    line = fields.String(validate=validate.OneOf(LINES))
    is_enterprise = fields.Boolean()


class PetitionSearch(Schema):
    """Find petitions by a petitioner's exact ID or phone number (in the body: never in a URL or log)."""

    class Meta:
        unknown = RAISE

    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=18),
                              metadata={"example": "411302199001011236"})
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=20))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))

    @validates_schema
    def _one_number(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("id_number") and not data.get("phone"):
            raise ValidationError("给出身份证号码或电话 / give id_number or phone", "_schema")


SEARCH_EXAMPLE: dict[str, Any] = {"id_number": "411302199001011236"}


class PetitionRevealIn(Schema):
    """Which full numbers to show, and why (the reason is kept in the audit log)."""

    class Meta:
        unknown = RAISE

    fields_ = fields.List(
        fields.String(validate=validate.OneOf(("id_number", "phone"))), data_key="fields",
        load_default=lambda: ["id_number", "phone"], validate=validate.Length(min=1),
    )
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500), metadata={"example": "电话回访信访人"})


REVEAL_EXAMPLE: dict[str, Any] = {"fields": ["id_number", "phone"], "reason": "电话回访信访人"}


class PetitionRevealRead(Schema):
    """Full personal numbers: only from the audited reveal endpoint."""

    petition_id = fields.String()
    case_number = fields.String()
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
