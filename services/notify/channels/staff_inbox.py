"""站内信 the staff inbox: the delivery row *is* the inbox item.

Staff read their inbox through `GET /api/v1/deliveries`, straight from the delivery log, so there
is nothing to hand over: "sending" is the dispatcher marking the row `sent`.  It never fails and
is idempotent trivially.
"""

from __future__ import annotations

from services.notify.channels.base import Channel, OutgoingMessage, SendResult

STAFF_INBOX = "staff_inbox"


class StaffInbox(Channel):
    name = STAFF_INBOX

    def send(self, message: OutgoingMessage) -> SendResult:
        return SendResult(provider_id=message.delivery_id, detail="in the staff inbox")
