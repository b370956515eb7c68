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
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from attrs import Attribute, field, frozen

from .errors import InvalidData, InvalidDefinition

__all__ = [
    "Label",
    "LabelledEnum",
    "Lang",
    "get_language",
    "label_members",
    "language",
    "set_language",
]


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


class LabelledEnum(str, enum.Enum):
    """A ``str`` enumeration whose members each carry a bilingual :class:`Label`.

    Declare the members as usual, then attach their labels once with
    :func:`label_members`, right after the class:

    >>> class Tier(LabelledEnum):
    ...     GOLD = "gold"
    ...     SILVER = "silver"
    >>> label_members(
    ...     Tier, {Tier.GOLD: Label("金牌", "gold"), Tier.SILVER: Label("银牌", "silver")}
    ... )
    >>> Tier.GOLD.label.zh
    '金牌'
    >>> Tier.SILVER == "silver"
    True
    """

    @property
    def label(self) -> Label:
        """The member's bilingual name."""
        return _ENUM_LABELS[type(self)][self]


_ENUM_LABELS: dict[type[LabelledEnum], dict[LabelledEnum, Label]] = {}

_E = TypeVar("_E", bound=LabelledEnum)


def label_members(cls: type[_E], labels: Mapping[_E, Label]) -> None:
    """Attach *labels* to the members of *cls*, one :class:`Label` for every member.

    Raises :class:`~bigaccount.errors.InvalidDefinition`, naming the enum and the
    member, if a member has no label, a key is not a member of *cls*, a value is not
    a :class:`Label`, or *cls* was labelled already.
    """
    where = cls.__qualname__
    if cls in _ENUM_LABELS:
        raise InvalidDefinition(where, "the members are labelled already")
    for key, value in labels.items():
        if not isinstance(key, cls):
            raise InvalidDefinition(where, f"{key!r} is not a member of {where}")
        if not isinstance(value, Label):
            raise InvalidDefinition(where, f"the label of {key.name} is not a Label: {value!r}")
    missing = [member.name for member in cls if member not in labels]
    if missing:
        raise InvalidDefinition(where, f"no label for member(s) {', '.join(missing)}")
    table: dict[LabelledEnum, Label] = {member: labels[member] for member in cls}
    _ENUM_LABELS[cls] = table
