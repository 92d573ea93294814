"""The Kafka bus on kafka-python: producer factory, consumer loop with inbox and dead letters."""

from shared.kafka.consumer import EventConsumer, Handler
from shared.kafka.producer import make_producer

__all__ = ["EventConsumer", "Handler", "make_producer"]
