"""What a reconciliation reports: each mismatch with the records behind it."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from accounts.models import Merger

SHOWN = 10  # records listed per mismatch


@dataclass(frozen=True)
class Mismatch:
    check: str
    what: str
    expected: object
    found: object
    records: list = field(default_factory=list)

    def __str__(self) -> str:
        ids = ", ".join(str(record) for record in self.records[:SHOWN])
        more = f" (+{len(self.records) - SHOWN} more)" if len(self.records) > SHOWN else ""
        behind = f"\n    records: {ids}{more}" if ids else ""
        return f"[{self.check}] {self.what}: expected {self.expected}, found {self.found}{behind}"


@dataclass
class Report:
    checks: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


type Check = Callable[[Merger, list[date]], Iterator[Mismatch]]
