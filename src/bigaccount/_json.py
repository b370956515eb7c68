"""JSON text within limits: the reader and writer behind :mod:`bigaccount.io`.

Private: :func:`bigaccount.io.loads` and :func:`bigaccount.io.dumps` are the public
face. The reader refuses, with :class:`~bigaccount.errors.InvalidData`, anything that is
not UTF-8 JSON text within the limits it is given: the size first, then the nesting
and the length of strings on the raw text, then numbers and duplicate keys while the
standard library's C parser reads it. Every check is linear in the size of the input
and none recurses in Python.

How the cheap checks work:

* **Nesting.** ``bytes.translate`` keeps the brackets and quotes of the UTF-8 text;
  removing the pairs of adjacent quotes leaves the brackets outside strings whenever no
  string holds a bracket (otherwise the strings are cut out by splitting on quotes, or
  by a regular expression when there are escapes). The running sum of ``+1`` per
  opening and ``-1`` per closing bracket, taken at C speed over a signed
  ``memoryview``, peaks at the depth.
* **Duplicate keys.** The parser's ``object_pairs_hook`` sees every pair of an object
  and names a repeated key (a plain ``dict`` would keep the last value silently).
* **Numbers.** ``parse_int`` and ``parse_float`` hooks see each number's text before
  it is converted, so an over-long one costs nothing; ``NaN`` and ``Infinity`` are
  refused by ``parse_constant``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from ._validate import whole
from .errors import InvalidData

__all__ = ["Limits", "check", "excerpt", "parse", "write"]

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'[]{}"\\')
_SIGNED = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")

_EXCERPT = 40
"""Characters of a text quoted in a message, at most."""


def excerpt(value: object, limit: int = _EXCERPT) -> str:
    """A short description of a JSON value for a message: never the whole of a big input."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dict):
        keys = ", ".join(excerpt(k, 20) for k in list(value)[:3])
        more = ", …" if len(value) > 3 else ""
        return f"an object ({keys}{more})" if value else "an empty object"
    if isinstance(value, list):
        return f"a list of {len(value)} items" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise InvalidData("document", f"duplicate key {excerpt(key)} in an object")
            seen.add(key)
    return result


class Limits:
    """The limits of one reading, with the JSON decoder that enforces them.

    A decoder is built once per set of limits (the default set is built at import).
    """

    __slots__ = ("decoder", "max_depth", "max_digits", "max_size", "max_string")

    def __init__(self, max_size: int, max_depth: int, max_digits: int, max_string: int) -> None:
        limits = []
        for name, value in (
            ("max_size", max_size),
            ("max_depth", max_depth),
            ("max_digits", max_digits),
            ("max_string", max_string),
        ):
            number = whole(value, name)
            if number < 1:
                raise InvalidData(name, f"expected a whole number >= 1, got {value!r}")
            limits.append(number)
        self.max_size, self.max_depth, self.max_digits, self.max_string = limits
        self.decoder = json.JSONDecoder(
            object_pairs_hook=_pairs,
            parse_int=_int_parser(max_digits),
            parse_float=_float_parser(max_digits),
            parse_constant=_constant,
        )

    def key(self) -> tuple[int, int, int, int]:
        """The four limits, as a tuple."""
        return (self.max_size, self.max_depth, self.max_digits, self.max_string)


def _int_parser(max_digits: int) -> Callable[[str], int]:
    def parse_int(token: str) -> int:
        digits = len(token) - (token[0] == "-")
        if digits > max_digits:
            raise InvalidData(
                "document", f"a number of {digits:,} digits is longer than {max_digits} digits"
            )
        return int(token)

    return parse_int


def _float_parser(max_digits: int) -> Callable[[str], float]:
    def parse_float(token: str) -> float:
        size = len(token) - (token[0] == "-")
        if size > max_digits:
            raise InvalidData(
                "document",
                f"a number of {size:,} characters is longer than {max_digits} characters",
            )
        value = float(token)
        if value - value != 0.0:  # inf: the literal overflows a float
            raise InvalidData("document", f"the number {excerpt(token)} is out of range")
        return value

    return parse_float


def _constant(token: str) -> Any:
    raise InvalidData("document", f"{token} is not a number a document may hold")


def _text(data: object, limits: Limits) -> tuple[str, bytes]:
    """The text of *data* and its UTF-8 bytes, within the size limit."""
    if isinstance(data, str):
        if len(data) > limits.max_size:
            raise InvalidData(
                "document",
                f"{len(data):,} characters is more than the limit of {limits.max_size:,}",
            )
        try:
            return data, data.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidData(
                "document", f"not Unicode text: a lone surrogate at position {error.start}"
            ) from None
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > limits.max_size:
            raise InvalidData(
                "document", f"{len(raw):,} bytes is more than the limit of {limits.max_size:,}"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidData(
                "document",
                f"not UTF-8: byte 0x{raw[error.start]:02x} at position {error.start}"
                f" ({error.reason})",
            ) from None
        if text.startswith("\ufeff"):
            return text[1:], raw[3:]
        return text, raw
    raise InvalidData("document", f"expected JSON text or bytes, got a {type(data).__name__}")


_CHUNK = 4096


def _outside_strings(text: str, raw: bytes) -> bytes:
    """The brackets of *raw* that stand outside strings, in order."""
    skeleton = raw.translate(None, _NOT_STRUCTURE)
    if b"\\" not in skeleton:
        # A string with no bracket in it is an adjacent pair of quotes here; when removing
        # those pairs leaves no quote, every string was such a pair.
        rest = skeleton.replace(b'""', b"")
        if b'"' not in rest:
            return rest
        pieces = skeleton.split(b'"')
        if len(pieces) % 2:
            return b"".join(pieces[0::2])
    return _STRING.sub("", text).encode("utf-8", "replace").translate(None, _NOT_BRACKETS)


def _check_depth(text: str, raw: bytes, limits: Limits) -> None:
    """Refuse nesting deeper than the limit; linear in the size, chunk by chunk.

    The running sum of ``+1`` per opening and ``-1`` per closing bracket peaks at the
    depth; it is taken a chunk at a time, so that it stops at the first chunk that goes
    too deep and its numbers stay small.
    """
    limit = limits.max_depth
    brackets = _outside_strings(text, raw)
    if len(brackets) <= 2 * limit:
        return  # too few brackets to nest deeper
    signed = memoryview(brackets.translate(_SIGNED)).cast("b")
    depth = 0
    for start in range(0, len(signed), _CHUNK):
        chunk = signed[start : start + _CHUNK]
        if depth + max(itertools.accumulate(chunk)) > limit:
            raise InvalidData("document", f"nested more than {limit} levels deep")
        if start + _CHUNK < len(signed):
            depth += sum(chunk)


def _check_strings(text: str, limits: Limits) -> None:
    if "\\" not in text:
        pieces = text.split('"')
        longest = max(map(len, pieces[1::2]), default=0)
    else:
        longest = 0
        for literal in _STRING.findall(text):
            if len(literal) - 2 > limits.max_string:
                try:
                    longest = max(longest, len(json.loads(literal)))
                except ValueError:
                    return  # not a valid string: the parser says where
    if longest > limits.max_string:
        raise InvalidData(
            "document",
            f"a string of {longest:,} characters is longer than the limit of {limits.max_string:,}",
        )


def check(text: str, limits: Limits) -> None:
    """Whether *text* passes the checks made before parsing: size, nesting, strings.

    Raises:
        InvalidData: field ``document``, saying which limit it passes.
    """
    text, raw = _text(text, limits)
    _check_depth(text, raw, limits)
    if len(text) > limits.max_string:
        _check_strings(text, limits)


def parse(data: object, limits: Limits) -> Any:
    """The JSON value of *data* (text, or UTF-8 bytes), within *limits*.

    Raises:
        InvalidData: field ``document``, saying what is wrong and where.
    """
    text, raw = _text(data, limits)
    _check_depth(text, raw, limits)
    if len(text) > limits.max_string:
        _check_strings(text, limits)
    try:
        value = limits.decoder.decode(text)
    except json.JSONDecodeError as error:
        near = excerpt(error.doc[max(0, error.pos - 10) : error.pos + 10], 20)
        raise InvalidData(
            "document",
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            f" (near {near})",
        ) from None
    except RecursionError:
        raise InvalidData("document", f"nested more than {limits.max_depth} levels deep") from None
    if b"\\" in raw and _ESCAPED_SURROGATE.search(text):
        _check_surrogates(value)
    return value


def _check_surrogates(value: Any) -> None:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidData(
            "document", "a string holds a lone surrogate (\\ud800-\\udfff), which is not text"
        ) from None


_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False)


def write(document: Any, indent: int | None = None) -> str:
    """JSON text of *document* (plain JSON values), never ``NaN`` or ``Infinity``.

    Raises:
        ValueError: a float is not finite.
    """
    if indent is None:
        return _COMPACT.encode(document)
    return json.JSONEncoder(
        ensure_ascii=False, allow_nan=False, check_circular=False, indent=indent
    ).encode(document)
