"""The staff inbox (站内信) as each member of staff reads it: which notices are theirs, and which they have read.

A staff-inbox notice is a `deliveries` row on the `staff_inbox` channel (the delivery row *is*
the inbox item, `channels/staff_inbox.py`); this domain adds who it is for (`addresses.py`) and a
read mark per person (`inbox_reads`).  Not to be confused with `shared/inbox`, the
processed-events table that makes event handlers idempotent.
"""
