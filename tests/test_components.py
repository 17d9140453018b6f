"""models/components: the decompositions' connected components against a breadth-first search."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from models.components import components


@given(n=st.integers(0, 12), links=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=15))
def test_components_match_breadth_first_search(n: int, links: list[tuple[int, int]]) -> None:
    links = [(a, b) for a, b in links if a < n and b < n]
    groups = components(range(n), links)
    # Reference: breadth-first search from every node not yet reached.
    near: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in links:
        near[a].add(b)
        near[b].add(a)
    seen: set[int] = set()
    expected = []
    for start in range(n):
        if start in seen:
            continue
        todo, group = [start], {start}
        while todo:
            for m in near[todo.pop()] - group:
                group.add(m)
                todo.append(m)
        seen |= group
        expected.append(sorted(group))
    assert groups == expected  # same groups, in the order of their first node, members sorted
