"""案件 cases: the case work of review, mostly still to be built.

What will live here, one subpackage each (models, schemas, service, views, handlers, jobs):

- ``custody/``: 羁押必要性审查 (custody-necessity review): applications and ex officio reviews,
  the decision within the 期限 of ``custody_review.*`` (docs/deadlines.md), 建议 to release or
  change the 强制措施 and the agency's reply.
- ``hanging/``: 涉企挂案 clearance: cases open past the ``hanging_case.*`` thresholds, 催办,
  撤案 follow-up; its periodic scan is a job of ``services/review/jobs``.
- ``court/`` (here): 涉企 court cases flagged in intake: the 立案绿色通道 limit as a
  ``court.green_channel`` deadline, opened by ``court_case.green_channel_decided`` and closed by
  ``court_case.filed`` (docs/court-cases.md).
- ``work_orders/``: court-case work orders (12368 诉讼服务 contacts that become court work).

Each attaches its deadlines through ``services.review.deadlines.attaching.attach``.
Issue: not yet filed on this branch (the 羁押必要性审查, 挂案 and work-order issues); name them here
when they are.
"""
