"""Connected components of a small undirected graph (union-find with path halving).

Shared by the decompositions: points linked by advisors who work at several of them
(planner/decompose) and officials linked to the streams their tours can serve
(models/outreach.split).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def components(nodes: Iterable[T], links: Iterable[tuple[T, T]]) -> list[list[T]]:
    """Groups of nodes joined by links; groups and their members in the order of `nodes`."""
    parent = {n: n for n in nodes}

    def root(x: T) -> T:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[root(a)] = root(b)
    groups: dict[T, list[T]] = {}
    for n in parent:
        groups.setdefault(root(n), []).append(n)
    return list(groups.values())
