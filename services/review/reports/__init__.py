"""报送 reports: the half-monthly (每半月) reports of every unit to the 市院专项活动工作专班; empty until its issue lands.

What will live here: the report periods and their ``report.half_monthly_submission`` deadlines
(docs/deadlines.md), the figures each unit's report gathers from triage, deadlines and cases, and
the task force's view of who has reported; opening each period is a job of
``services/review/jobs``.
Issue: not yet filed on this branch (the half-monthly report issue); name it here when it is.
"""
