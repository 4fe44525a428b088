"""Test support that starts a service's parts in process (its migrated database, its unit of
work, principals and events as Kafka carries them). It imports service packages, so it lives
with the tests, not in labornet_common's test kit: ``from tests.support.mediation import …``
(pytest runs from the repository root, which is on ``sys.path``)."""
