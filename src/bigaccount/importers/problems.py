"""Why an imported row was refused: a named reason for each row that made no deal or event.

Every row of an import ends in exactly one place: a deal (a snapshot row), an event of a
deal (a history row), an accepted row that changed nothing (a history row repeating the
deal's stage), or the refused list. A :class:`Refusal` says where the row was (the source
and its line), which deal it was about, the :class:`Problem` by name, what exactly was
wrong, and the row as it was read, so that it can be written out, corrected and imported
again.

>>> from bigaccount.importers import Problem, Refusal
>>> refusal = Refusal("history.csv", 7, "o1", Problem.REVERSAL, "WON → LOST", {"stage": "Lost"})
>>> refusal.problem.label.zh, str(refusal)
('赢单后又标为丢单（结果反转）', 'history.csv line 7 (o1): reversal of an outcome: WON → LOST')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from .._validate import Rule, member, optional_text, text, whole
from ..errors import InvalidData
from ..labels import Label, LabelledEnum, label_members

__all__ = ["CellError", "Problem", "Refusal"]


class Problem(LabelledEnum):
    """The named reasons a row is refused."""

    MISSING_VALUE = "missing_value"
    """A field the mapping requires is empty (its missing-value policy is "refuse")."""
    BAD_DATE = "bad_date"
    """A date or time that none of the mapping's formats reads."""
    BAD_NUMBER = "bad_number"
    """A number that is not in the mapping's number format."""
    BAD_AMOUNT = "bad_amount"
    """An amount that is not exact money (a float without a declared rounding, say)."""
    BAD_VALUE = "bad_value"
    """A value the mapping does not declare (a yes/no word, a segment)."""
    UNKNOWN_STAGE = "unknown_stage"
    """A stage name the mapping does not map to a state of the cycle."""
    UNKNOWN_OUTCOME = "unknown_outcome"
    """An outcome value the mapping does not declare as won, lost, stalled or open."""
    DUPLICATE = "duplicate"
    """A second row for a snapshot's deal id, or a history row repeating an earlier one."""
    REVERSAL = "reversal"
    """A history row changing one outcome into another (closed won → closed lost)."""
    REOPENED = "reopened"
    """A history row moving a closed deal back into a stage."""
    NO_MOVE = "no_move"
    """A history row whose states have no move between them in the cycle."""
    NO_TIME = "no_time"
    """A row with no time for the events it makes (no column, no ``as_of``)."""
    TIMES_OUT_OF_ORDER = "times_out_of_order"
    """A snapshot row whose stage times go back in time along the cycle."""
    MALFORMED = "malformed"
    """A record whose number of fields is not the header's."""
    FIELD_TOO_LARGE = "field_too_large"
    """A CSV field longer than the reader's limit."""
    INVALID = "invalid"
    """Values that read correctly but break a rule of the library (a negative amount …)."""


label_members(
    Problem,
    {
        Problem.MISSING_VALUE: Label("缺少必填值", "missing value"),
        Problem.BAD_DATE: Label("日期或时间无法解析", "unparseable date"),
        Problem.BAD_NUMBER: Label("数字无法解析", "unparseable number"),
        Problem.BAD_AMOUNT: Label("金额无法解析", "unparseable amount"),
        Problem.BAD_VALUE: Label("未声明的取值", "undeclared value"),
        Problem.UNKNOWN_STAGE: Label("未映射的阶段名", "unknown stage name"),
        Problem.UNKNOWN_OUTCOME: Label("未声明的结果值", "unknown outcome value"),
        Problem.DUPLICATE: Label("重复行", "duplicate"),
        Problem.REVERSAL: Label("赢单后又标为丢单（结果反转）", "reversal of an outcome"),
        Problem.REOPENED: Label("结案后重新打开", "reopened after an outcome"),
        Problem.NO_MOVE: Label("周期中没有这一步", "no such move in the cycle"),
        Problem.NO_TIME: Label("缺少时间", "no time"),
        Problem.TIMES_OUT_OF_ORDER: Label("阶段时间先后颠倒", "stage times out of order"),
        Problem.MALFORMED: Label("字段数与表头不符", "malformed record"),
        Problem.FIELD_TOO_LARGE: Label("字段过长", "field too large"),
        Problem.INVALID: Label("数据不符合规则", "invalid data"),
    },
)


_LINE = Label("第 {line} 行", "line {line}")


class CellError(InvalidData):
    """A value of a row that cannot be read: the column (``field``), what is wrong, and why by name.

    Raised by the value parsers of :mod:`bigaccount.importers.parse`; the importer turns
    it into a :class:`Refusal` of the row.
    """

    def __init__(self, field: str, problem: str, kind: Problem) -> None:
        super().__init__(field, problem)
        self.kind = kind


def _raw(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidData("raw", f"expected the row as a mapping of column to value, got {value!r}")
    for column in value:
        if not isinstance(column, str):
            raise InvalidData("raw", f"expected column names as keys, got {column!r}")
    return MappingProxyType(dict(value))


def _line(value: object, name: str) -> int:
    line = whole(value, name)
    if line < 1:
        raise InvalidData(name, f"lines and positions are counted from 1, got {line}")
    return line


def _problem(value: object) -> Problem:
    return member(Problem, value, "problem")


@frozen
class Refusal:
    """A refused row.

    Attributes:
        source: the file (or other source) the row came from.
        line: where in it: the file's line number (the header is line 1), or for a
            DataFrame or a sequence of records the row's position counted from 1.
        key: the deal id the row was about, when it could be read.
        problem: why, by name.
        detail: what exactly was wrong (the column, the value, the states).
        raw: the row as read, by column name (empty for a record that could not be read).

    The importers make refusals; one built by hand is checked, and its problem may be
    given by its value (``"reversal"``).

    Raises:
        InvalidData: naming the field of a wrong value.
    """

    source: str = field(validator=Rule(text))
    line: int = field(validator=Rule(_line))
    key: str | None = field(validator=Rule(optional_text))
    problem: Problem = field(converter=_problem)
    detail: str = field(validator=Rule(text))
    raw: Mapping[str, Any] = field(factory=dict, converter=_raw, eq=False)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str | None = None) -> str:
        """The refusal in one line, in the display language (or *lang*); the detail as written."""
        about = f" ({self.key})" if self.key is not None else ""
        line = _LINE.text(lang).format(line=self.line)
        return f"{self.source} {line}{about}: {self.problem.label.text(lang)}: {self.detail}"
