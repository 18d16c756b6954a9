"""The sales-org hierarchy: which teams sit below which, and figures rolled up it.

Pure, so tested without a database.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol


def subtree_ids(parent_of: Mapping[int, int | None], roots: Iterable[int]) -> set[int]:
    """The root teams and every team below them, from a {team: parent team} table."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for child, parent in parent_of.items():
        children[parent].append(child)
    found = set(roots)
    frontier = list(found)
    while frontier:
        frontier = [child for team in frontier for child in children[team] if child not in found]
        found.update(frontier)
    return found


class Addable[V](Protocol):
    def __add__(self, other: V, /) -> V: ...


def roll_up[K, V: Addable](
    values: Mapping[K, V], parent_of: Mapping[K, K | None], empty: Callable[[], V]
) -> dict[K, V]:
    """Every team of `parent_of` with its own value plus those of all teams below it.

    Values of keys that are not teams of the table (no team, another program) are
    left out; a cycle in bad data is walked once.
    """
    totals = {key: empty() for key in parent_of}
    for key, value in values.items():
        node: K | None = key
        seen: set[K] = set()
        while node is not None and node not in seen and node in totals:
            seen.add(node)
            totals[node] = totals[node] + value
            node = parent_of.get(node)
    return totals
