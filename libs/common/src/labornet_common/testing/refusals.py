"""Expecting a refusal from a command or query called in process: an error of the application or
domain layer (``labornet_common.platform.problems``) that the platform's handler answers
(``labornet_common.platform.errors.refusal_problem``), or a Problem raised by the platform itself. Either
way the test reads the Problem a client would get::

    with refusal() as answer:
        await commands.accept(...)
    assert answer.value.status == 409 and answer.value.code == "arbitration.refer_instead"
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from labornet_common.platform.errors import Problem, refusal_problem
from labornet_common.platform.problems import ApplicationError


class Refusal:
    """The Problem of the refusal caught (set when the ``with`` block ends)."""

    value: Problem


def as_problem(error: BaseException) -> Problem | None:
    """The Problem a client gets for ``error``; None for an error that is no refusal."""
    if isinstance(error, Problem):
        return error
    if isinstance(error, ApplicationError):
        return refusal_problem(error)
    return None


@contextmanager
def refusal() -> Iterator[Refusal]:
    answer = Refusal()
    try:
        yield answer
    except (Problem, ApplicationError) as error:
        problem = as_problem(error)
        assert problem is not None
        answer.value = problem
    else:
        pytest.fail("expected a refusal (an application or domain error, or a Problem); the call succeeded")
