"""Periodic jobs of review (`huhang scheduler`): the :class:`~services.review.jobs.job.Job` contract and the runner.

Each domain keeps its own jobs next to its code (``services/review/deadlines/jobs.py``: the
due_soon/overdue notices) and exposes them through a factory ``jobs(*, batch_size) -> list[Job]``;
this package knows none of them. The jobs still to come (挂案 scans, 失信 timers, report periods)
join the same runner.
"""
