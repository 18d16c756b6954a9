"""One measured number against its budget, and the report of a whole run.

A run is a report, not a test: a missed budget is marked, never raised.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Rule(StrEnum):
    AT_MOST = "at_most"  # passes when the value is at most the target
    EQUAL = "equal"  # passes when the value equals the target (query counts)
    INFO = "info"  # reported only


@dataclass(frozen=True)
class Measure:
    bench: str  # the --only key that produced it
    name: str
    data: str  # what it ran on: "large", "demo", "50,000 x 50,000", ...
    value: float | None
    unit: str
    target: float | None = None
    rule: Rule = Rule.AT_MOST
    queries: int | None = None
    note: str = ""
    load: float | None = None  # one-minute load average when the benchmark started

    @property
    def passed(self) -> bool | None:
        if self.rule is Rule.INFO or self.target is None:
            return None
        if self.value is None:
            return False
        if self.rule is Rule.EQUAL:
            return self.value == self.target
        return self.value <= self.target

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "MISS", None: ""}[self.passed]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rule": str(self.rule), "passed": self.passed}


@dataclass
class Run:
    measures: list[Measure] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, measures: list[Measure]) -> None:
        self.measures.extend(measures)

    @property
    def misses(self) -> list[Measure]:
        return [m for m in self.measures if m.passed is False]

    def as_dict(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "data": self.data,
            "results": [m.as_dict() for m in self.measures],
            "misses": len(self.misses),
        }


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit in ("s",):
        return f"{value:,.2f} s"
    if unit == "ms":
        return f"{value:,.0f} ms"
    if unit == "%":
        return f"{value:.2f} %"
    if float(value).is_integer():
        return f"{int(value):,}{' ' + unit if unit else ''}"
    return f"{value:,.4g}{' ' + unit if unit else ''}"


def target_text(measure: Measure) -> str:
    if measure.target is None or measure.rule is Rule.INFO:
        return ""
    if measure.rule is Rule.EQUAL:
        return f"= {number(measure.target, measure.unit)}"
    # At most: a value equal to its target passes.
    return f"≤ {number(measure.target, measure.unit)}"


HEADER = ("Benchmark", "Data", "Measured", "Target", "Result", "Queries", "Load", "Note")


def table_rows(run: Run) -> list[tuple[str, ...]]:
    return [
        (
            m.name,
            m.data,
            number(m.value, m.unit),
            target_text(m),
            m.verdict,
            "" if m.queries is None else str(m.queries),
            "" if m.load is None else f"{m.load:.2f}",
            m.note,
        )
        for m in run.measures
    ]


def text_table(run: Run) -> str:
    return aligned([HEADER, *table_rows(run)])


def aligned(rows: list[tuple[str, ...]]) -> str:
    """Rows as text columns, each as wide as its widest cell but the last; a rule under
    the first row, the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in [*widths, len(row[-1])]))
    return "\n".join(lines)


def markdown(run: Run) -> str:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = ["# Benchmark results", ""]
    out += [f"- {key}: {value}" for key, value in run.environment.items()]
    out += ["", line(HEADER), line(tuple("---" for _ in HEADER))]
    out += [line(row) for row in table_rows(run)]
    out += ["", f"Targets missed: {len(run.misses)}", ""]
    for label, counts in run.data.items():
        out.append(f"- {label}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return "\n".join(out) + "\n"


def run_write(run: Run, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    as_json, as_md = directory / "results.json", directory / "results.md"
    as_json.write_text(json.dumps(run.as_dict(), indent=2, default=str) + "\n", encoding="utf-8")
    as_md.write_text(markdown(run), encoding="utf-8")
    return as_json, as_md
