"""The words of 羁押必要性审查: states, ways of opening, stages, roles, applicants, decisions and their basis."""

from __future__ import annotations

# --- how a review opens (规则 第五百七十四条; 2023 规定) -------------------------------------------------
APPLICATION = "application"  # 依申请
EX_OFFICIO = "ex_officio"  # 依职权
DETENTION_CENTRE = "detention_centre"  # 看守所建议（健康原因）
MANDATORY = "mandatory"  # 必要审查 (the system opens it from the register)
TRIGGERS = (APPLICATION, EX_OFFICIO, DETENTION_CENTRE, MANDATORY)
TRIGGER_TEXT = {APPLICATION: "依申请", EX_OFFICIO: "依职权", DETENTION_CENTRE: "看守所建议", MANDATORY: "必要审查"}

# --- states ----------------------------------------------------------------------------------------------
RECEIVED = "received"  # registered by 控申/案管 or another 检察院: on its way to 捕诉
INITIAL_REVIEW = "initial_review"  # at 捕诉: 初审 (3 working days)
REVIEWING = "reviewing"  # 立案: 审查 until the decision
AWAITING_REPLY = "awaiting_reply"  # a 建议 was sent: the other organ replies within 10日
CORRECTION = "correction"  # no reply or a refusal: 纠正意见 to issue
CLOSED = "closed"
STATES = (RECEIVED, INITIAL_REVIEW, REVIEWING, AWAITING_REPLY, CORRECTION, CLOSED)
STATE_TEXT = {RECEIVED: "待移送捕诉", INITIAL_REVIEW: "初审中", REVIEWING: "审查中", AWAITING_REPLY: "待有关机关回复",
              CORRECTION: "待提出纠正意见", CLOSED: "已办结"}
OPEN_STATES = (RECEIVED, INITIAL_REVIEW, REVIEWING, AWAITING_REPLY, CORRECTION)
#: While a review is still being examined its checklist may change and it may be decided.
EXAMINING = (INITIAL_REVIEW, REVIEWING)

# --- the criminal case ------------------------------------------------------------------------------------
INVESTIGATION = "investigation"  # 侦查
PROSECUTION = "prosecution"  # 审查起诉
TRIAL = "trial"  # 审判
STAGES = (INVESTIGATION, PROSECUTION, TRIAL)
STAGE_TEXT = {INVESTIGATION: "侦查", PROSECUTION: "审查起诉", TRIAL: "审判"}

# --- the person's role in the enterprise --------------------------------------------------------------------
ROLES = ("legal_representative", "actual_controller", "executive", "key_technician", "other")
ROLE_TEXT = {"legal_representative": "法定代表人", "actual_controller": "实际控制人", "executive": "高管",
             "key_technician": "技术骨干", "other": "其他"}

# --- the applicant (规则 第五百七十四条) -------------------------------------------------------------------------
APPLICANT_KINDS = ("self", "legal_agent", "close_relative", "defender")
APPLICANT_TEXT = {"self": "本人", "legal_agent": "法定代理人", "close_relative": "近亲属", "defender": "辩护人"}

# --- custody dates -------------------------------------------------------------------------------------------
MEASURES = ("detention", "arrest", "extension")
MEASURE_TEXT = {"detention": "拘留", "arrest": "逮捕", "extension": "延长羁押期限"}

# --- decisions (规则 第五百七十五条, 第五百七十九条至第五百八十一条) ------------------------------------------------
RELEASE = "release_recommended"  # 建议释放
CHANGE = "change_recommended"  # 建议变更强制措施
DIRECT_CHANGE = "changed_directly"  # 直接变更 (审查起诉: the 检察院 decides itself)
CONTINUE = "continued"  # 继续羁押
DECISIONS = (RELEASE, CHANGE, DIRECT_CHANGE, CONTINUE)
DECISION_TEXT = {RELEASE: "建议释放", CHANGE: "建议变更强制措施", DIRECT_CHANGE: "直接变更强制措施", CONTINUE: "继续羁押"}
#: Decisions that are a 建议书 to another organ, which must reply within 10日 (刑诉法 第九十五条).
RECOMMENDATIONS = (RELEASE, CHANGE)
DECISION_BASIS = {
    RELEASE: "《中华人民共和国刑事诉讼法》第九十五条；《人民检察院刑事诉讼规则》第五百七十五条、第五百七十九条",
    CHANGE: "《中华人民共和国刑事诉讼法》第九十五条；《人民检察院刑事诉讼规则》第五百七十五条、第五百八十条",
    DIRECT_CHANGE: "《人民检察院刑事诉讼规则》第五百七十五条第二款（审查起诉阶段由人民检察院依法决定）",
    CONTINUE: "《人民检察院刑事诉讼规则》第五百七十八条（综合审查后认为有继续羁押必要）",
}
NOT_FILED = "not_filed"  # 初审后不予立案
OUTCOME_TEXT = {**DECISION_TEXT, NOT_FILED: "不予立案审查"}

# --- the agency's reply and 纠正意见 (规则 第五百八十一条) ------------------------------------------------------
REPLY_ACCEPTED = "accepted"
REPLY_REFUSED = "refused"
REPLIES = (REPLY_ACCEPTED, REPLY_REFUSED)
REPLY_TEXT = {REPLY_ACCEPTED: "采纳", REPLY_REFUSED: "不予采纳", "none": "逾期未回复"}
NO_REPLY = "no_reply"
CORRECTION_REASONS = (NO_REPLY, REPLY_REFUSED)
CORRECTION_REASON_TEXT = {NO_REPLY: "有关机关逾期未回复", REPLY_REFUSED: "有关机关不予采纳且理由不成立"}

# --- document kinds: each has its own 发文字号 代字 per organ and year (platform defaults) -----------------------
RECOMMENDATION_DOC = "recommendation"  # 羁押必要性审查建议书: 捕建
NOTICE_DOC = "notice"  # 羁押必要性审查结果通知书 (规则 第五百八十二条): 捕通
CORRECTION_DOC = "correction"  # 纠正违法通知书/纠正意见: 捕纠
DOCUMENT_KINDS = (RECOMMENDATION_DOC, NOTICE_DOC, CORRECTION_DOC)
DOCUMENT_MARK = {RECOMMENDATION_DOC: "捕建", NOTICE_DOC: "捕通", CORRECTION_DOC: "捕纠"}
DOCUMENT_TITLE = {RECOMMENDATION_DOC: "羁押必要性审查建议书", NOTICE_DOC: "羁押必要性审查结果通知书",
                  CORRECTION_DOC: "纠正意见书"}

# --- deadline rules (services/review/deadlines/rules.toml) ---------------------------------------------------
RULE_ROUTING = "custody_review.routing"
RULE_FORWARDING = "custody_review.forwarding"
RULE_INITIAL = "custody_review.initial_review"
RULE_DECISION = "custody_review.decision"
RULE_DECISION_PROSECUTION = "custody_review.decision_prosecution_stage"
RULE_EXTENSION = "custody_review.extension"
RULE_REPLY = "custody_review.agency_reply"
RULE_CORRECTION = "custody_review.correction_followup"
