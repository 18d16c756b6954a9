"""The sales-org hierarchy: which teams sit below which. Pure, so tested without a database."""

from collections import defaultdict
from collections.abc import Iterable, Mapping


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
