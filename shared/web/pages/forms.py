"""Reading an HTML form through a marshmallow schema, with errors a page can show beside each field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError
from werkzeug.datastructures import MultiDict

from shared.validation import is_problem
from shared.web.pages.csrf import CSRF_FIELD


@dataclass
class FormErrors:
    """Field name -> messages, and the values sent (re-shown so nothing typed is lost)."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def of(self, name: str) -> list[str]:
        return self.fields.get(name, [])

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


# marshmallow's own messages, as a person filling in a Chinese form should read them.
_CHINESE: tuple[tuple[str, str], ...] = (
    ("Missing data for required field", "此项必填"),
    ("Field may not be null", "此项必填"),
    ("Not a valid integer", "请输入整数"),
    ("Not a valid number", "请输入数字"),
    ("Not a valid date", "请输入有效的日期（年-月-日）"),
    ("Not a valid datetime", "请输入有效的日期和时间"),
    ("Not a valid boolean", "请选择“是”或“否”"),
    ("Must be one of", "请从选项中选择"),
    ("Length must be between", "长度不符合要求"),
    ("Shorter than minimum length", "内容太短"),
    ("Longer than maximum length", "内容太长"),
    ("Must be greater than or equal to", "数值太小"),
    ("Must be less than or equal to", "数值太大"),
    ("String does not match expected pattern", "格式不正确"),
    ("Not a valid email address", "请输入有效的电子邮箱"),
    ("Not a valid string", "请输入文字"),
    ("Invalid value", "取值无效"),
)


def chinese(message: str) -> str:
    """A validation message in Chinese: ours already are; marshmallow's defaults are translated."""
    for english, text in _CHINESE:
        if message.startswith(english):
            return text
    return message


def _flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if is_problem(messages):  # ours (shared/validation): the Chinese half beside the field
        out.setdefault(prefix or "_form", []).append(str(messages["zh"]))
    elif isinstance(messages, Mapping):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for inner, texts in _flatten(value, name).items():
                out.setdefault(inner, []).extend(texts)
    elif isinstance(messages, (list, tuple)):
        for item in messages:
            if isinstance(item, (Mapping, list, tuple)):
                for inner, texts in _flatten(item, prefix).items():
                    out.setdefault(inner, []).extend(texts)
            else:
                out.setdefault(prefix or "_form", []).append(chinese(str(item)))
    else:
        out.setdefault(prefix or "_form", []).append(chinese(str(messages)))
    return out


def form_values(form: MultiDict[str, str], *, lists: frozenset[str] = frozenset(),
                verbatim: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The form as a dict: empty fields left out (so `required` and defaults behave as in JSON), lists kept.

    Values are stripped of surrounding spaces, except the `verbatim` fields (passwords: a space is
    part of a password, and the API takes it as sent).
    """
    out: dict[str, Any] = {}
    for key in form:
        if key == CSRF_FIELD:
            continue
        if key in lists:
            out[key] = [v for v in form.getlist(key) if v.strip()]
            continue
        value = form.get(key, "")
        if value.strip():
            out[key] = value if key in verbatim else value.strip()
    return out


def parse_form(
    schema: Schema, form: MultiDict[str, str], *, lists: frozenset[str] = frozenset(),
    verbatim: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any] | None, FormErrors]:
    """``(data, no errors)`` or ``(None, errors)``; the schema is the API's own where one exists."""
    values = form_values(form, lists=lists, verbatim=verbatim)
    try:
        # Forms carry fields the schema does not name (next, the submit button): ignored, not refused.
        return schema.load(values, unknown=EXCLUDE), FormErrors(values=values)
    except ValidationError as exc:
        return None, FormErrors(fields=_flatten(exc.messages), values=values)
