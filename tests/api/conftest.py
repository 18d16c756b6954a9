"""The API fuzzing tests run only when asked for: `pytest -m fuzz` (a CI step of their own)."""

import pytest

# Answers the generated requests showed wrong, in code other people are changing now;
# each entry says what to change. Strict: once fixed, the entry must go.
KNOWN_WRONG: dict[str, str] = {}
# Personas that may list exports; the others are refused before any body is built.
EXPORTERS = ("[leader]", "[executive]", "[ops]")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "fuzz: generated requests against the OpenAPI schema (schemathesis)"
    )


def pytest_collection_modifyitems(config, items):
    asked = "fuzz" in (config.option.markexpr or "")
    skip = pytest.mark.skip(reason="API fuzzing runs with -m fuzz (its own CI step)")
    for item in items:
        if item.get_closest_marker("fuzz") is None:
            continue
        if not asked:
            item.add_marker(skip)
            continue
        for operation, reason in KNOWN_WRONG.items():
            if operation in item.nodeid and item.nodeid.endswith(EXPORTERS):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
