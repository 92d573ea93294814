"""企业核验: staff check an enterprise's 营业执照 and its 法定代表人 in person, then issue its access code.

With its 统一社会信用代码 and that code the enterprise sees, on the public pages, every matter it
is a party to across both lines (services/intake/public/service.py `enterprise_query`).  The
check mirrors the first in-person identity check that 《人民检察院案件信息公开工作规定》 practice
requires before online queries (RULES §1 "Authentication"): a code is only ever issued by a
member of staff who saw the licence and the representative, and the row says who, when and what.
"""
