"""Field problems: a validation refusal a client can act on — the field, a machine-readable code, Chinese and English.

A schema raises `invalid(code, zh, en)` where it knows why a value is refused (a wrong check
character, a 案号 of an unknown type); marshmallow's own refusals (missing, too long, not one of)
get codes here too.  The API's 422 body carries them flat, one per refusal:

    {"field": "petitioner.id_number", "code": "id_number.check_character",
     "message": {"zh": "身份证号码校验码不符", "en": "the check character does not match"}}

beside the nested ``errors`` it always had (messages as text), so older clients keep working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

_PROBLEM_KEYS = frozenset({"code", "zh", "en"})


@dataclass(frozen=True)
class Problem:
    code: str
    zh: str
    en: str

    def as_message(self) -> dict[str, str]:
        return {"code": self.code, "zh": self.zh, "en": self.en}


def invalid(code: str, zh: str, en: str, field: str | None = None) -> ValidationError:
    """The error a validator raises: marshmallow keeps the dict as the field's message."""
    message = [Problem(code, zh, en).as_message()]
    return ValidationError(message, field) if field else ValidationError(message)


def raise_problem(problem: Problem, field: str | None = None) -> None:
    raise invalid(problem.code, problem.zh, problem.en, field)


def is_problem(message: Any) -> bool:
    return isinstance(message, Mapping) and _PROBLEM_KEYS <= set(message)


# marshmallow's default messages → (code, zh, en-prefix kept from the message itself).
_DEFAULTS: tuple[tuple[str, str, str], ...] = (
    ("Missing data for required field", "required", "此项必填"),
    ("Field may not be null", "required", "此项必填"),
    ("Unknown field", "unknown_field", "不认识的字段"),
    ("Not a valid integer", "type.integer", "请输入整数"),
    ("Not a valid number", "type.number", "请输入数字"),
    ("Not a valid date", "type.date", "请输入有效的日期（年-月-日）"),
    ("Not a valid datetime", "type.datetime", "请输入有效的日期和时间"),
    ("Not a timezone-aware datetime", "type.datetime", "请输入带时区的日期和时间"),
    ("Not a valid boolean", "type.boolean", "请选择“是”或“否”"),
    ("Not a valid string", "type.string", "请输入文字"),
    ("Not a valid list", "type.list", "应为列表"),
    ("Invalid input type", "type", "数据类型不正确"),
    ("Must be one of", "one_of", "请从选项中选择"),
    ("Length must be between", "length", "长度不符合要求"),
    ("Shorter than minimum length", "length.min", "内容太短"),
    ("Longer than maximum length", "length.max", "内容太长"),
    ("Must be greater than or equal to", "range.min", "数值太小"),
    ("Must be less than or equal to", "range.max", "数值太大"),
    ("String does not match expected pattern", "format", "格式不正确"),
    ("Not a valid email address", "format.email", "请输入有效的电子邮箱"),
    ("Invalid value", "invalid", "取值无效"),
)


def _of_text(text: str) -> Problem:
    for english, code, zh in _DEFAULTS:
        if text.startswith(english):
            return Problem(code, zh, text)
    # Our older validators write "中文 / English".
    if " / " in text:
        zh, _, en = text.partition(" / ")
        return Problem("invalid", zh, en)
    return Problem("invalid", text, text)


def problem_of(message: Any) -> Problem:
    """One message (ours as a dict, marshmallow's as text) as a Problem."""
    if is_problem(message):
        return Problem(str(message["code"]), str(message["zh"]), str(message["en"]))
    return _of_text(str(message))


def flatten(messages: Any, prefix: str = "") -> list[dict[str, Any]]:
    """marshmallow's nested messages as the flat list of the 422 body (list indexes become path parts)."""
    out: list[dict[str, Any]] = []
    if is_problem(messages):
        problem = problem_of(messages)
        return [{"field": prefix or "_schema", "code": problem.code, "message": {"zh": problem.zh, "en": problem.en}}]
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            out.extend(flatten(value, name))
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            out.extend(flatten(item, prefix))
    else:
        problem = problem_of(messages)
        out.append({"field": prefix or "_schema", "code": problem.code, "message": {"zh": problem.zh, "en": problem.en}})
    return out


def as_text(messages: Any) -> Any:
    """The nested messages with each problem written "中文 / English", as the ``errors`` key always showed them."""
    if is_problem(messages):
        return f"{messages['zh']} / {messages['en']}"
    if isinstance(messages, Mapping):
        return {key: as_text(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [as_text(item) for item in messages]
    return messages
