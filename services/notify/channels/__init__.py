"""Channels: how a notice leaves notify (staff inbox today; SMS, email, webhooks later).

One module per channel, each implementing `base.Channel`; `registry.py` builds the enabled ones
from settings.  The dispatcher (`services/notify/deliveries/dispatcher.py`) is their only caller.
"""
