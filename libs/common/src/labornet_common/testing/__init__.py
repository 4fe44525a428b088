"""Test support: real broker and real databases for integration tests (a pytest plugin)."""
