"""`huhang dlq list` and `huhang dlq replay` over the real broker."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from services.cli import main
from shared.config import KafkaSettings
from tests.support.kafka import create_topics, read_topic


def _dead_letter(kafka: KafkaSettings) -> None:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers.split(","))
    headers = [
        ("dlq.error", b"invalid event: not JSON"), ("dlq.origin.topic", kafka.events_topic("intake").encode()),
        ("dlq.origin.partition", b"0"), ("dlq.origin.offset", b"5"), ("dlq.attempts", b"1"), ("trace_id", b"t-1"),
    ]
    producer.send(kafka.dead_letter_topic("review"), value=b"{bad", key=b"case-1", headers=headers, partition=0).get(timeout=30)
    producer.close(timeout=5)


def test_list_then_replay_one_letter_to_its_origin(kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_settings.bootstrap_servers)
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)
    create_topics(kafka_settings, kafka_settings.dead_letter_topic("review"), kafka_settings.events_topic("intake"))
    _dead_letter(kafka_settings)
    runner = CliRunner()

    listed = runner.invoke(main, ["dlq", "list", "review"])
    assert listed.exit_code == 0, listed.output
    assert "0:0" in listed.output and "invalid event: not JSON" in listed.output
    assert "1 dead letter(s)" in listed.output

    assert runner.invoke(main, ["dlq", "replay", "review", "--at", "2:7"]).output.strip() == "replayed 0 message(s)"
    replayed = runner.invoke(main, ["dlq", "replay", "review", "--at", "0:0"])
    assert replayed.output.strip() == "replayed 1 message(s)", replayed.output
    [record] = read_topic(kafka_settings, kafka_settings.events_topic("intake"), at_least=1)
    headers = dict(record.headers)
    assert record.value == b"{bad" and record.key == b"case-1"
    assert headers["dlq.replayed_from"] == b"0:0" and headers["trace_id"] == b"t-1"
    assert not any(k.startswith("dlq.") and k != "dlq.replayed_from" for k in headers)

    bad = runner.invoke(main, ["dlq", "replay", "review", "--at", "zero"])
    assert bad.exit_code == 2 and "PARTITION:OFFSET" in bad.output
