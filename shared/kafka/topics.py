"""Creating huhang's topics before anyone subscribes to them.

A consumer that subscribes to a topic which does not exist yet learns of it only at its next
metadata refresh (5 minutes by default): on a fresh broker the first petitions would wait that
long. So every worker makes sure the topics it reads exist before it subscribes.  Where topics are
managed elsewhere (Strimzi `KafkaTopic` resources, auto-creation off, no create permission), a
refusal is logged and the worker goes on.
"""

from __future__ import annotations

import logging

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from shared.config import KafkaSettings

log = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 3


def ensure_topics(kafka: KafkaSettings, names: list[str], *, partitions: int = DEFAULT_PARTITIONS,
                  replication_factor: int = 1) -> list[str]:
    """Create the topics that are missing; returns the names created."""
    admin = KafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers.split(","), client_id="huhang-topics")
    try:
        missing = sorted(set(names) - set(admin.list_topics()))
        if not missing:
            return []
        try:
            admin.create_topics([NewTopic(name, partitions, replication_factor) for name in missing])
        except TopicAlreadyExistsError:
            pass  # another worker created it between our list and our create
        return missing
    except KafkaError as exc:
        log.warning("could not ensure topics %s: %s", names, exc)
        return []
    finally:
        admin.close()
