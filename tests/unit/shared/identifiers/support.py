"""What the identifier tests share: the problem code a parser refuses a value with."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from shared.identifiers import InvalidIdentifier


def refusal(parse: Callable[..., object], value: str, **options: Any) -> str:
    """The problem code `parse` refuses `value` with; both messages must be there."""
    with pytest.raises(InvalidIdentifier) as caught:
        parse(value, **options)
    assert caught.value.problem.message_zh and caught.value.problem.message_en
    return caught.value.code
