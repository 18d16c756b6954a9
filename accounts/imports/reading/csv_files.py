"""CSV files: encoding, delimiter, and a guard against binary data and report footers."""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator

import charset_normalizer
from django.utils.translation import gettext as _

from accounts.imports.reading.table import (
    MIN_HEADER_CELLS,
    ImportFileError,
    NumberedRow,
    Table,
    find_header,
    is_blank_row,
)

DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 64 * 1024
SNIFF_ROWS = 50


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: BOM, UTF-8, else a detected legacy code page."""
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16"), "utf-16"
    if b"\x00" in raw:
        raise _not_text()
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _legacy_candidates(raw):
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise ImportFileError(
        _("The text encoding of the file could not be recognised; save it as UTF-8 CSV.")
    )


def _strict(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file says it is %(encoding)s but byte %(position)d is not; save it again.")
            % {"encoding": encoding.upper(), "position": error.start}
        ) from error


def _legacy_candidates(raw: bytes) -> list[str]:
    """Windows-1252 and the detector's guess, the more plausible reading first.

    Detectors guess badly on short samples (Scandinavian names read as Chinese
    or Central European), so their guess must also read more plausibly than
    Windows-1252, by far the most common source of such files.
    """
    sample = raw[:SNIFF_CHARS]
    candidates = ["cp1252"]
    best = charset_normalizer.from_bytes(sample).best()
    if best is not None and codecs.lookup(best.encoding).name != "cp1252":
        candidates.append(best.encoding)
    return sorted(candidates, key=lambda encoding: _implausibility(sample, encoding))


def _implausibility(raw: bytes, encoding: str) -> int:
    """How much of the decoded text looks like mojibake: mixed scripts inside a word,
    symbols inside words, Latin words made mostly of accented letters."""
    text = raw.decode(encoding, errors="replace")
    penalty = 0
    for word in re.findall(r"[^\s\d!-/:-@\[-`{-~]+", text):
        if word.isascii():
            continue
        foreign = [ch for ch in word if not ch.isascii()]
        penalty += sum(1 for ch in foreign if not ch.isalpha())
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            penalty += len(word)
        elif scripts == {"LATIN"} and len(word) >= 3 and len(foreign) * 2 > len(word):
            penalty += len(foreign)
    return penalty


def _script(ch: str) -> str:
    return "LATIN" if ch.isascii() else unicodedata.name(ch, "UNKNOWN").split()[0]


def _not_text() -> ImportFileError:
    return ImportFileError(
        _("This does not look like a CSV or Excel file: it contains binary data.")
    )


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first rows into the most consistent columns."""
    sample = text[:SNIFF_CHARS]
    best, best_score = ",", (False, -1.0, 0)
    for delimiter in DELIMITERS:
        rows = [row for row in _sample_rows(sample, delimiter) if any(c.strip() for c in row)]
        position = next((i for i, row in enumerate(rows) if len(row) >= MIN_HEADER_CELLS), None)
        if position is None:
            continue
        header, rest = rows[position], rows[position + 1 :]
        consistency = sum(len(row) == len(header) for row in rest) / len(rest) if rest else 1.0
        # Title lines above a header are rare; a split first line is strong evidence.
        score = (position == 0, consistency, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(sample: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= SNIFF_ROWS:
                break
    except csv.Error:
        pass
    return rows


def open_csv(raw: bytes) -> Table:
    text, encoding = decode(raw)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    if _looks_binary(text[:SNIFF_CHARS]):
        raise _not_text()
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered = _guard_csv(enumerate(reader, start=1))
    header = find_header(numbered)
    return Table(
        header=header,
        rows=_drop_footer(numbered),
        encoding=encoding,
        delimiter=delimiter,
    )


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    return controls > max(2, len(text) // 200)


def _guard_csv(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    number = 0
    try:
        for number, row in rows:
            yield number, row
    except csv.Error as error:
        raise ImportFileError(
            _("Row %(row)d cannot be read (%(error)s); check for an unclosed quote.")
            % {"row": number + 1, "error": error}
        ) from error


def _drop_footer(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    """Leave out blank rows, and a trailing block of one-cell lines after a blank line.

    Salesforce report exports end that way ("Grand Totals", copyright,
    "Generated By"); those lines are not records.
    """
    pending: list[NumberedRow] = []
    for number, row in rows:
        if is_blank_row(row) or (pending and len(row) == 1):
            pending.append((number, row))
        else:
            if pending:
                yield from ((n, r) for n, r in pending if not is_blank_row(r))
                pending.clear()
            yield number, row
