"""公众服务: the public pages of 12309 and 12368 — the home page, and the case-status query (案件进度查询).

No account: a person proves they hold the 受理回执 with its case number and query code.  The
answer shows only what RULES §1–§2 let the public see of a case, never personal data.
"""
