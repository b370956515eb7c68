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
import re
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


class Lang(str, enum.Enum):  # noqa: UP042 (a StrEnum would change str() of a member)
    """A display language of the labels.

    ``Lang("fr")`` is :class:`~bigaccount.errors.InvalidData` naming ``lang``.
    """

    ZH = "zh"
    EN = "en"

    @classmethod
    def _missing_(cls, value: object) -> Lang:
        raise InvalidData("lang", f"unknown language {value!r}; expected 'zh' or 'en'")


_current: contextvars.ContextVar[Lang] = contextvars.ContextVar("bigaccount_lang", default=Lang.EN)


def _as_lang(value: Lang | str) -> Lang:
    return Lang(value)


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


class LabelledEnum(str, enum.Enum):  # noqa: UP042 (a StrEnum would change str() of a member)
    """A ``str`` enumeration whose members each carry a bilingual :class:`Label`.

    A member is found by its value (``Level("decision")``); any other value is
    :class:`~bigaccount.errors.InvalidData` whose field is the enum's name in snake case
    (``Level("boss")`` names ``level``), listing the values it takes.

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

    @classmethod
    def _missing_(cls, value: object) -> LabelledEnum:
        known = ", ".join(str(m.value) for m in cls)
        raise InvalidData(
            _snake(cls.__name__), f"unknown value {value!r}; expected one of: {known}"
        )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_ENUM_LABELS: dict[type[LabelledEnum], dict[LabelledEnum, Label]] = {}

_E = TypeVar("_E", bound=LabelledEnum)


def label_members(cls: type[_E], labels: Mapping[_E, Label]) -> None:
    """Attach *labels* to the members of *cls*, one :class:`Label` for every member.

    Raises :class:`~bigaccount.errors.InvalidDefinition`, naming the enum (or ``cls``
    when it is no :class:`LabelledEnum`) and the argument at fault, if *cls* is not a
    :class:`LabelledEnum` or was labelled already, *labels* is not a mapping, a member
    has no label, a key is not a member of *cls* or a value is not a :class:`Label`.
    """
    if not (isinstance(cls, type) and issubclass(cls, LabelledEnum)):
        raise InvalidDefinition("cls", f"expected a LabelledEnum class, got {cls!r}")
    where = cls.__qualname__
    if cls in _ENUM_LABELS:
        raise InvalidDefinition(where, "cls: the members are labelled already")
    if not isinstance(labels, Mapping):
        raise InvalidDefinition(
            where, f"labels: expected a mapping of members to Labels, got {labels!r}"
        )
    for key, value in labels.items():
        if not isinstance(key, cls):
            raise InvalidDefinition(where, f"labels: {key!r} is not a member of {where}")
        if not isinstance(value, Label):
            raise InvalidDefinition(
                where, f"labels: the label of {key.name} is not a Label: {value!r}"
            )
    missing = [member.name for member in cls if member not in labels]
    if missing:
        raise InvalidDefinition(where, f"labels: no label for member(s) {', '.join(missing)}")
    table: dict[LabelledEnum, Label] = {member: labels[member] for member in cls}
    _ENUM_LABELS[cls] = table
