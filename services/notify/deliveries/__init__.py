"""Deliveries: every notice notify sends, on which channel, to whom, with what outcome."""
