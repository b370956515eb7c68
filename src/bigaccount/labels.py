"""Bilingual labels (Chinese and English) and the choice of display language.

Every name the library shows a person — a stage, a criterion, a posture — is a
:class:`Label` value holding both languages, so that a CRM can show either one
without keeping strings of its own.

>>> from bigaccount import Label, language
>>> won = Label("赢单", "won")
>>> won.text("en")
'won'
>>> with language("zh"):
...     str(won)
'赢单'
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from collections.abc import Iterator
from typing import Any

from attrs import Attribute, field, frozen

from .errors import InvalidData

__all__ = ["Label", "Lang", "get_language", "language", "set_language"]


class Lang(str, enum.Enum):
    """A display language of the labels."""

    ZH = "zh"
    EN = "en"


_current: contextvars.ContextVar[Lang] = contextvars.ContextVar("bigaccount_lang", default=Lang.EN)


def _as_lang(value: Lang | str) -> Lang:
    try:
        return Lang(value)
    except ValueError:
        raise InvalidData("lang", f"unknown language {value!r}; expected 'zh' or 'en'") from None


def get_language() -> Lang:
    """Return the language labels are shown in (English unless set otherwise)."""
    return _current.get()


def set_language(lang: Lang | str) -> None:
    """Set the display language for the current context (thread or task)."""
    _current.set(_as_lang(lang))


@contextlib.contextmanager
def language(lang: Lang | str) -> Iterator[Lang]:
    """Show labels in *lang* inside a ``with`` block, then restore the previous choice."""
    token = _current.set(_as_lang(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _non_empty(_: Any, attribute: Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(attribute.name, f"a label needs non-empty text, got {value!r}")


@frozen
class Label:
    """A name or sentence in Chinese (``zh``) and English (``en``)."""

    zh: str = field(validator=_non_empty)
    en: str = field(validator=_non_empty)

    def text(self, lang: Lang | str | None = None) -> str:
        """Return the text in *lang*, or in the current display language."""
        chosen = get_language() if lang is None else _as_lang(lang)
        return self.zh if chosen is Lang.ZH else self.en

    def both(self) -> str:
        """Return ``"中文 / English"``, the form used in error messages."""
        return f"{self.zh} / {self.en}"

    def __str__(self) -> str:
        return self.text()
