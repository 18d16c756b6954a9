"""Read the hand-written data the generators draw from, kept out of the code."""

import tomllib
from pathlib import Path
from typing import Any


def datafile_read(*, beside: str, name: str) -> dict[str, Any]:
    """The TOML file `data/<name>` in the package of the module `beside` (its `__file__`)."""
    path = Path(beside).parent / "data" / name
    return tomllib.loads(path.read_text(encoding="utf-8"))
