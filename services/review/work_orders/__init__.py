"""12368 工单: a court contact the 诉讼服务中心 cannot answer on the spot, sent to the judge or division of the case.

The order runs its own clock (the owner's 期限: the judge's, then each escalation level's), while
the contact's own clock from receipt (``court_12368.work_order`` on the petition) keeps measuring
the answer to the caller; see docs/review/work-orders.md.
"""
