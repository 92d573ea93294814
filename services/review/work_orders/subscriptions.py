"""What 工单 follows: an order's open clock lowers its 事项's ``next_due_on`` where it is nearer.

Subscribed after triage's own observer (the manifest lists triage first), which sets the item's
copy from the petition's own 期限; this one then looks at the orders' clocks (clocks.py).
"""

from __future__ import annotations

from services.review.deadlines import observers
from services.review.work_orders.clocks import refresh_item

observers.subscribe(refresh_item)
