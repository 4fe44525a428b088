"""RFC 9457 problem details: the pure constants (no web framework)."""

from __future__ import annotations

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://labornet.example.cn/problems/"
