"""Small Kafka helpers for tests: raw produce, read a whole topic, create topics."""

from __future__ import annotations

import time
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.config import KafkaSettings


def create_topics(settings: KafkaSettings, *names: str, partitions: int = 3) -> None:
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers.split(","))
    try:
        admin.create_topics([NewTopic(n, partitions, 1) for n in names])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


def produce_raw(settings: KafkaSettings, topic: str, values: list[bytes | None], key: bytes = b"k") -> None:
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers.split(","), acks="all")
    try:
        for value in values:
            producer.send(topic, value=value, key=key).get(timeout=30)
    finally:
        producer.close(timeout=5)


def read_topic(settings: KafkaSettings, topic: str, *, at_least: int, timeout: float = 30.0) -> list[Any]:
    """Every record of a topic from the beginning, waiting until there are at least `at_least`."""
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers.split(","), group_id=None, enable_auto_commit=False)
    deadline = time.monotonic() + timeout
    records: list[Any] = []
    try:
        while time.monotonic() < deadline:
            parts = consumer.partitions_for_topic(topic)
            if parts:
                break
            time.sleep(0.2)
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not tps:
            raise TimeoutError(f"topic {topic} never appeared")
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        while time.monotonic() < deadline and len(records) < at_least:
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        if len(records) < at_least:
            raise TimeoutError(f"{topic}: {len(records)} records, expected at least {at_least}")
        # Anything more already there (e.g. a duplicate) is read too.
        for batch in consumer.poll(timeout_ms=500).values():
            records.extend(batch)
        return records
    finally:
        consumer.close()
