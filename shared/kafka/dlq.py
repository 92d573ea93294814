"""Reading and replaying a consumer group's dead-letter topic (`huhang dlq`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from shared.config import KafkaSettings
from shared.kafka.producer import make_producer


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]

    @property
    def origin_topic(self) -> str:
        return self.headers.get("dlq.origin.topic", "")

    @property
    def error(self) -> str:
        return self.headers.get("dlq.error", "")


def read_all(kafka: KafkaSettings, group: str, timeout_s: float = 10.0) -> list[DeadLetter]:
    """Every message now in the group's dead-letter topic, without joining any consumer group."""
    topic = kafka.dead_letter_topic(group)
    consumer = KafkaConsumer(
        bootstrap_servers=kafka.bootstrap_servers.split(","), enable_auto_commit=False, group_id=None,
        consumer_timeout_ms=int(timeout_s * 1000),
    )
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not tps:
            return []
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        letters: list[DeadLetter] = []
        remaining = {tp for tp in tps if end[tp] > 0}
        while remaining:
            batch = consumer.poll(timeout_ms=int(timeout_s * 1000))
            if not batch:
                break
            for tp, records in batch.items():
                for r in records:
                    if r.offset < end[tp]:
                        letters.append(_letter(r))
                if consumer.position(tp) >= end[tp]:
                    remaining.discard(tp)
        return letters
    finally:
        consumer.close()


def _letter(record: Any) -> DeadLetter:
    headers = {k: v.decode("utf-8", "replace") for k, v in (record.headers or [])}
    return DeadLetter(record.partition, record.offset, record.key, record.value, headers)


def replay(kafka: KafkaSettings, group: str, *, offsets: set[tuple[int, int]] | None = None) -> int:
    """Send dead letters back to their origin topic; consumers' inboxes absorb any duplicate."""
    producer = make_producer(kafka)
    sent = 0
    try:
        for letter in read_all(kafka, group):
            if offsets is not None and (letter.partition, letter.offset) not in offsets:
                continue
            if not letter.origin_topic:
                continue
            headers = [(k, v.encode()) for k, v in letter.headers.items() if not k.startswith("dlq.")]
            headers.append(("dlq.replayed_from", f"{letter.partition}:{letter.offset}".encode()))
            producer.send(letter.origin_topic, value=letter.value, key=letter.key, headers=headers).get(timeout=30)
            sent += 1
    finally:
        producer.close(timeout=5)
    return sent
