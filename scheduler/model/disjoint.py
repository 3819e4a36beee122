"""Disjoint sets (union-find) over hashable keys, for grouping linked cohorts and courses."""

from __future__ import annotations

from collections.abc import Hashable


class DisjointSets:
    """Keys joined by :meth:`union`; :meth:`find` names each set by one of its keys."""

    def __init__(self) -> None:
        self._parent: dict[Hashable, Hashable] = {}

    def find(self, key: Hashable) -> Hashable:
        parent = self._parent
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: Hashable, b: Hashable) -> None:
        self._parent[self.find(b)] = self.find(a)
