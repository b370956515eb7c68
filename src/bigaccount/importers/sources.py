"""Where rows come from: CSV files read by header, pandas DataFrames, plain records.

A source is a :class:`Table`: its column names and its records, each with its line. Columns
are always found by name, never by position: a mapping naming a column the source lacks
is refused at once with :class:`MissingColumns`, listing every missing column.

* **CSV** (:func:`read_csv`). The header is the first non-blank record; blank lines are not
  rows. The encoding is the one declared, else detected: a byte-order mark (UTF-8, UTF-16,
  UTF-32), else UTF-8 if the first 64 KiB read as UTF-8. Any other encoding (GB18030,
  Windows-1252 …) must be declared: a guess from a few bytes can turn ``ö`` into ``ˆ``
  without a word, so the error names the likely encoding (``charset-normalizer``'s guess,
  when that package is installed) and asks for it. A record with a field longer than
  Python's CSV field limit (``csv.field_size_limit()``: 131,072 characters unless the
  program raised it; bigaccount never changes it) is refused cleanly as *field too large*
  and reading goes on with the next record; a record with another number of fields than
  the header is refused as *malformed*.
* **DataFrames** (:func:`read_frame`, with the ``pandas`` extra): any DataFrame, however
  it was read (CSV, parquet, SQL). Missing values (``NaN``, ``NaT``, ``None``, ``<NA>``)
  are missing; numpy numbers are read as Python numbers. The line of a row is its
  position, counted from 1.
* **Records** (:func:`read_records`): an iterable of mappings of column name to value.

>>> from bigaccount.importers.sources import read_records
>>> table = read_records([{"id": "o1", "stage": "Won"}, {"id": "o2", "stage": "Lost"}])
>>> table.columns, list(table.records())
(('id', 'stage'), [(1, ('o1', 'Won')), (2, ('o2', 'Lost'))])
"""

from __future__ import annotations

import codecs
import collections.abc as cabc
import csv
import io
import itertools
import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import InvalidData
from .problems import Problem

__all__ = [
    "SAMPLE_BYTES",
    "CsvTable",
    "FrameTable",
    "MissingColumns",
    "RecordsTable",
    "Table",
    "Unreadable",
    "detect_encoding",
    "read_csv",
    "read_frame",
    "read_records",
]

SAMPLE_BYTES = 64 * 1024
"""How much of a file the encoding is detected from."""

_FRAME_CHUNK = 1 << 16


class MissingColumns(InvalidData):
    """A source lacks columns the mapping reads: ``missing`` lists them all, ``source`` names it."""

    def __init__(
        self, source: str, missing: cabc.Sequence[str], present: cabc.Sequence[str]
    ) -> None:
        self.source = source
        self.missing = tuple(missing)
        self.present = tuple(present)
        shown = ", ".join(repr(c) for c in self.present[:40])
        more = f" and {len(self.present) - 40} more" if len(self.present) > 40 else ""
        hint = ""
        if len(self.present) == 1:
            for sep in (";", "\t", "|", ","):
                if sep in self.present[0]:
                    hint = f"; the header is one column holding {sep!r}: is the delimiter {sep!r}?"
                    break
        listed = ", ".join(repr(c) for c in self.missing)
        super().__init__(
            "columns", f"{source} has no column {listed} (its columns: {shown}{more}){hint}"
        )


class Unreadable:
    """A record that could not be read as fields (the reason and what was wrong)."""

    __slots__ = ("detail", "problem")

    def __init__(self, problem: Problem, detail: str) -> None:
        self.problem = problem
        self.detail = detail

    def __repr__(self) -> str:
        return f"Unreadable({self.problem.value}, {self.detail!r})"


Record = tuple[int, "tuple[Any, ...] | Unreadable"]
"""A record of a table: its line and its values (in the order of the columns), or why not."""


@runtime_checkable
class Table(Protocol):
    """A source of rows: a name for messages, the column names, the records, and progress."""

    @property
    def name(self) -> str: ...

    @property
    def columns(self) -> tuple[str, ...]: ...

    def records(self) -> cabc.Iterator[Record]: ...

    def progress(self) -> tuple[int, int | None]:
        """``(done, total)`` in the table's own unit (bytes for files, rows for frames)."""
        ...


def file_path(value: object, field: str = "path") -> Path:
    """*value* as the path of a file (text or any ``os.PathLike``), else ``InvalidData``."""
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise InvalidData(field, f"expected the path of a file, got {value!r}")
    return Path(value)


def unopened(path: Path, error: OSError, field: str = "path") -> InvalidData:
    """The error of a file that cannot be read, under the parameter *field* that named it."""
    return InvalidData(field, f"cannot read {path}: {error.strerror or error}")


def text_encoding(value: object, field: str) -> str:
    """*value* as the name of a text encoding (``"gb18030"``), else ``InvalidData``.

    ``codecs`` also knows bytes-to-bytes codecs (``"base64"``, ``"zlib"``), which cannot
    read a text file: they are refused like unknown names.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidData(field, f"expected the name of an encoding, got {value!r}")
    try:
        info = codecs.lookup(value)
    except LookupError:
        raise InvalidData(field, f"unknown encoding {value!r}") from None
    if not info._is_text_encoding:
        raise InvalidData(field, f"{value!r} is not a text encoding (such as 'utf-8', 'gb18030')")
    return value


def delimiter_of(value: object, field: str) -> str:
    """*value* as a CSV delimiter: one character other than a quote or a line end."""
    if not isinstance(value, str) or len(value) != 1 or value in '\r\n"':
        raise InvalidData(field, f"expected one character such as ',' or ';', got {value!r}")
    return value


def detect_encoding(path: str | os.PathLike[str]) -> str:
    """The encoding of the text file *path*: a byte-order mark's, else UTF-8 if it reads as such.

    Raises:
        InvalidData: the file cannot be read (field ``path``), or is neither; the message
            then suggests the likely encoding.
    """
    file = file_path(path)
    try:
        sample = _sample(file)
    except OSError as error:
        raise unopened(file, error) from None
    return _encoding_of(sample, file)


def _sample(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SAMPLE_BYTES)


def _encoding_of(sample: bytes, path: Path) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_BYTES)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    guess = "gb18030"
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        likely = ""
    else:
        best = from_bytes(sample).best()
        guess = str(best.encoding) if best is not None else guess
        likely = f" (it looks like {guess})" if best is not None else ""
    raise InvalidData(
        "encoding",
        f"{Path(path).name} is not UTF-8{likely}: declare its encoding"
        f' (in the mapping, [csv] encoding = "{guess}"; on the command line, --encoding)',
    )


def _header(values: cabc.Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip().lstrip("\ufeff").strip() for v in values)


class CsvTable:
    """A CSV file read by its header (see the module's rules). Build it with :func:`read_csv`."""

    def __init__(
        self, path: str | os.PathLike[str], *, delimiter: str, encoding: str | None
    ) -> None:
        self.path = Path(path)
        self.delimiter = delimiter
        self.encoding = encoding or _encoding_of(_sample(self.path), self.path)
        self.size = self.path.stat().st_size
        self._done = 0
        self._columns: tuple[str, ...] | None = None
        self._header_line = 0
        with self._open() as (_, text):
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                for row in reader:
                    if row:
                        self._columns = _header(row)
                        self._header_line = reader.line_num
                        break
            except csv.Error as error:
                raise InvalidData(
                    "header", f"{self.name}: the header cannot be read: {error}"
                ) from None
            except UnicodeDecodeError as error:
                raise InvalidData(
                    "encoding", f"{self.name}: not {self.encoding}: {error}"
                ) from None
        if self._columns is None:
            raise InvalidData("header", f"{self.name} is empty: a CSV needs a header row")

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name

    @property
    def columns(self) -> tuple[str, ...]:
        """The header's column names, stripped of spaces."""
        assert self._columns is not None
        return self._columns

    def progress(self) -> tuple[int, int | None]:
        """Bytes read so far, and the file's size."""
        return self._done, self.size

    def _open(self) -> Any:
        return _Opened(self.path, self.encoding)

    def records(self) -> cabc.Iterator[Record]:
        """Every record after the header: ``(line, values)``, or ``(line, Unreadable)``."""
        width = len(self.columns)
        self._done = 0
        with self._open() as (raw, text), self._open() as (_, again):
            rewind = _Rewind(again)
            reader = csv.reader(text, delimiter=self.delimiter)
            skipped = 0
            last = 0
            header_seen = False
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    start = last + 1
                    end = reader.line_num + skipped
                    inside = rewind.quotes(start, end) % 2 == 1
                    while inside:
                        line = next(text, None)
                        if line is None:
                            break
                        skipped += 1
                        inside = line.count('"') % 2 == 0
                    last = reader.line_num + skipped
                    problem = (
                        Problem.FIELD_TOO_LARGE
                        if "field larger" in str(error)
                        else Problem.MALFORMED
                    )
                    detail = str(error)
                    if problem is Problem.FIELD_TOO_LARGE:
                        detail = (
                            f"a field is longer than {csv.field_size_limit()} characters"
                            " (the CSV field limit); the record is not read"
                        )
                    self._done = raw.tell()
                    yield start, Unreadable(problem, detail)
                    continue
                except UnicodeDecodeError as error:
                    raise InvalidData(
                        "encoding",
                        f"{self.name} near line {last + 1}: not {self.encoding} ({error});"
                        " declare the encoding",
                    ) from None
                start = last + 1
                last = reader.line_num + skipped
                if not row:
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                if len(row) != width:
                    yield (
                        start,
                        Unreadable(
                            Problem.MALFORMED, f"{len(row)} fields where the header has {width}"
                        ),
                    )
                    continue
                yield start, tuple(row)
                if not start & 0xFFF:
                    self._done = raw.tell()
            self._done = self.size


class _Opened:
    """A binary file and its text view (universal line ends kept for the CSV reader)."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.raw = open(path, "rb")  # noqa: SIM115 (closed by __exit__)
        self.text = io.TextIOWrapper(self.raw, encoding=encoding, newline="")

    def __enter__(self) -> tuple[Any, io.TextIOWrapper]:
        return self.raw, self.text

    def __exit__(self, *_: object) -> None:
        self.text.close()


class _Rewind:
    """A second, forward-only reader of the same file's lines, used only after a CSV error."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self._text = text
        self._line = 0

    def quotes(self, start: int, end: int) -> int:
        """The number of ``"`` on lines *start* … *end* (1-based, inclusive)."""
        count = 0
        while self._line < end:
            line = next(self._text, None)
            if line is None:
                break
            self._line += 1
            if self._line >= start:
                count += line.count('"')
        return count


def read_csv(
    path: str | os.PathLike[str], *, delimiter: str = ",", encoding: str | None = None
) -> CsvTable:
    """The CSV file *path* as a table (encoding detected unless given).

    Raises:
        InvalidData: the file cannot be opened (field ``path``), is empty, its header
            cannot be read, or its encoding is unknown; a delimiter that is not one
            character other than a quote or a line end, or an unknown encoding's name.
    """
    file = file_path(path)
    delimiter_of(delimiter, "delimiter")
    if encoding is not None:
        text_encoding(encoding, "encoding")
    try:
        return CsvTable(file, delimiter=delimiter, encoding=encoding)
    except OSError as error:
        raise unopened(file, error) from None


class FrameTable:
    """A pandas DataFrame as a table. Build it with :func:`read_frame`."""

    def __init__(self, frame: Any, name: str = "DataFrame") -> None:
        self.frame = frame
        self._name = name
        self._columns = _header([str(c) for c in frame.columns])
        self._done = 0

    @property
    def name(self) -> str:
        """The name given to the frame, for messages."""
        return self._name

    @property
    def columns(self) -> tuple[str, ...]:
        """The frame's column names, as text."""
        return self._columns

    def progress(self) -> tuple[int, int | None]:
        """Rows read so far, and the frame's length."""
        return self._done, len(self.frame)

    def records(self) -> cabc.Iterator[Record]:
        """Every row, ``(position from 1, values)``; missing values are ``None``."""
        frame = self.frame
        n = len(frame)
        self._done = 0
        for begin in range(0, n, _FRAME_CHUNK):
            part = frame.iloc[begin : begin + _FRAME_CHUNK]
            columns = []
            for i in range(part.shape[1]):
                series = part.iloc[:, i]
                values = series.tolist()
                missing = series.isna().to_numpy()
                if missing.any():
                    for k in missing.nonzero()[0].tolist():
                        values[k] = None
                columns.append(values)
            for offset, row in enumerate(zip(*columns, strict=True)):
                yield begin + offset + 1, row
            self._done = min(n, begin + _FRAME_CHUNK)


def read_frame(frame: Any, *, name: str = "DataFrame") -> FrameTable:
    """A pandas DataFrame as a table (pandas need not be imported by bigaccount for this).

    Raises:
        InvalidData: *frame* is not a DataFrame.
    """
    if not (hasattr(frame, "columns") and hasattr(frame, "iloc") and hasattr(frame, "shape")):
        raise InvalidData("frame", f"expected a pandas DataFrame, got {type(frame).__name__}")
    if not isinstance(name, str) or not name.strip():
        raise InvalidData("name", f"expected non-empty text, got {name!r}")
    return FrameTable(frame, name)


class RecordsTable:
    """An iterable of mappings as a table. Build it with :func:`read_records`.

    A collection (a list, a tuple …) is read afresh each time the table is read. A
    one-shot iterator (a generator, a file's reader) can be read once: reading the table
    again raises :class:`~bigaccount.errors.InvalidData` rather than giving no rows.
    """

    def __init__(
        self, records: cabc.Iterable[cabc.Mapping[str, Any]], columns: cabc.Sequence[str], name: str
    ) -> None:
        self._records = records
        self._columns = tuple(columns)
        self._name = name
        self._done = 0
        self._once = iter(records) is records
        self._read = False

    @property
    def name(self) -> str:
        """The name given to the records, for messages."""
        return self._name

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names."""
        return self._columns

    def __repr__(self) -> str:
        return f"RecordsTable({self._name!r}, columns={self._columns!r})"

    def progress(self) -> tuple[int, int | None]:
        """Records read so far (the total is not known)."""
        return self._done, None

    def records(self) -> cabc.Iterator[Record]:
        """Every record, ``(position from 1, values)``; a key it lacks is a missing value.

        Raises:
            InvalidData: the records are a one-shot iterator that was read already.
        """
        if self._once:
            if self._read:
                raise InvalidData(
                    "records",
                    f"{self._name} was read already: its records are a one-shot iterator"
                    " (a generator); give a list to read them more than once",
                )
            self._read = True
        self._done = 0
        columns = self._columns
        for n, record in enumerate(self._records, 1):
            self._done = n
            if not isinstance(record, cabc.Mapping):
                yield (
                    n,
                    Unreadable(
                        Problem.MALFORMED, f"expected a mapping, got {type(record).__name__}"
                    ),
                )
                continue
            yield n, tuple(record.get(c) for c in columns)


def _column_names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if isinstance(value, (bytes, cabc.Mapping)) or not isinstance(value, cabc.Iterable):
        raise InvalidData("columns", f"expected a sequence of column names, got {value!r}")
    names = tuple(value)
    for i, item in enumerate(names):
        if not isinstance(item, str) or not item.strip():
            raise InvalidData(f"columns[{i}]", f"expected a column name, got {item!r}")
    if len(set(names)) != len(names):
        twice = next(c for c in names if names.count(c) > 1)
        raise InvalidData("columns", f"the column {twice!r} is listed twice")
    return names


def read_records(
    records: cabc.Iterable[cabc.Mapping[str, Any]],
    *,
    columns: cabc.Sequence[str] | None = None,
    name: str = "records",
) -> RecordsTable:
    """Mappings of column name to value as a table (columns: the first record's keys by default).

    The first record's keys are taken as they are, like a CSV header: a blank one (the
    ``""`` of a ``csv.DictReader`` over lines ending in a delimiter) or a doubled one is
    refused only if the mapping reads it. Columns given by name must be distinct names.

    A collection is read afresh each time the table is read; a one-shot iterator (a
    generator) can be read once, and a second read raises rather than give no rows.

    Raises:
        InvalidData: *records* is no iterable of mappings, or the first one is no mapping;
            *columns* are not distinct non-blank names; *name* is no text.
    """
    if isinstance(records, (str, bytes, cabc.Mapping)) or not isinstance(records, cabc.Iterable):
        raise InvalidData("records", f"expected an iterable of mappings, got {records!r}")
    if not isinstance(name, str) or not name.strip():
        raise InvalidData("name", f"expected non-empty text, got {name!r}")
    if columns is not None:
        columns = _column_names(columns)
    else:
        iterator = iter(records)
        first = next(iterator, None)
        if first is None:
            return RecordsTable((), (), name)
        if not isinstance(first, cabc.Mapping):
            raise InvalidData("records", f"expected mappings, got {type(first).__name__}")
        columns = tuple(str(c) for c in first)
        if iterator is records:
            records = itertools.chain([first], iterator)
    return RecordsTable(records, columns, name)
