"""办案进程 read model: what review has done with each petition, as intake's own rows.

The public status query (services/intake/public/) shows a petition's procedural timeline, but
the steps after registration happen in review, whose database intake never reads.  So intake
keeps its own copy, built from review's events on `huhang.review.events`:

| event                  | what it writes here                                         |
|------------------------|-------------------------------------------------------------|
| `triage.item_created`  | the 分流 step: 待分流 since the date the item was created     |
| `deadline.opened`      | a deadline row: rule, start date, due date                  |
| `deadline.recomputed`  | the row's due date and provisional flag                     |
| `deadline.overdue`     | the row is marked overdue (its due date passed, not met)    |
| `deadline.closed`      | the row is met or missed, with the date                     |

受理 itself is intake's own petition row.  The steps review does not announce yet (承办单位,
答复, 办结: the review workflow) are `status_steps` rows each future event writes through
:func:`service.record_step` — one handler each (docs/status-query.md).
"""
