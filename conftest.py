# Shared fixtures for every test in the workspace (real broker, SQLite and PostgreSQL).
pytest_plugins = ["labornet_common.testing.fixtures"]
