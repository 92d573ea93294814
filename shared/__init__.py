"""huhang's common package: config, database base, events, Kafka bus, outbox/inbox, web layout.

Every service imports from here; nothing here imports a service.
"""
