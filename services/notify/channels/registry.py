"""The enabled channels, built once from settings.

A new channel is one module in this package and one line in `FACTORIES`; a deployment enables it
by name (`HUHANG_NOTIFY_CHANNELS=staff_inbox,sms`).  Naming a channel that has no module fails at
start-up.  Deliveries of a channel that is not enabled here stay `pending` (the dispatcher does
not claim them), so a channel switched off for maintenance loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from services.notify.channels.base import Channel
from services.notify.channels.email import EMAIL, SmtpEmail
from services.notify.channels.sms import SMS, build_sms
from services.notify.channels.staff_inbox import STAFF_INBOX, StaffInbox
from services.notify.config import NotifySettings

FACTORIES: dict[str, Callable[[NotifySettings], Channel]] = {
    STAFF_INBOX: lambda _settings: StaffInbox(),
    EMAIL: SmtpEmail,
    SMS: build_sms,
}


class UnknownChannel(LookupError):
    """A channel name with no implementation, or one not enabled in this deployment."""


class ChannelRegistry(Mapping[str, Channel]):
    """Channel name → channel, for the enabled channels only."""

    def __init__(self, channels: Iterable[Channel]) -> None:
        self._channels: dict[str, Channel] = {}
        for channel in channels:
            if channel.name in self._channels:
                raise ValueError(f"channel {channel.name} registered twice")
            self._channels[channel.name] = channel

    def __getitem__(self, name: str) -> Channel:
        try:
            return self._channels[name]
        except KeyError:
            raise UnknownChannel(f"channel {name!r} is not enabled") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._channels)

    def __len__(self) -> int:
        return len(self._channels)


def build_registry(settings: NotifySettings) -> ChannelRegistry:
    """The channels `settings.channels` names, built by their factories."""
    unknown = [name for name in settings.channels if name not in FACTORIES]
    if unknown:
        raise UnknownChannel(f"no channel module for {', '.join(unknown)} (known: {', '.join(sorted(FACTORIES))})")
    return ChannelRegistry(FACTORIES[name](settings) for name in settings.channels)
