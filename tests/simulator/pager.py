"""Offset pagination that stays cheap on long walks.

Freshdesk pages are offsets into a result set (`page`, `per_page`), so a record changed between
two page requests shifts the later pages: the simulator keeps that exact semantics. To avoid
re-skipping `(page - 1) * per_page` records on every request of a long walk, the iterator left after
one page is kept and resumed by the request for the next page, as long as nothing changed in
between (the key carries the account's change counter).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from itertools import chain, islice

CURSORS_KEPT = 256


class Pager:
    """Pages of ids from ordered iterators, resuming the iterator a previous page left."""

    def __init__(self) -> None:
        self._cursors: OrderedDict[tuple[Hashable, int], Iterator[int]] = OrderedDict()
        self._lock = threading.Lock()

    def page(
        self, key: Hashable, make: Callable[[], Iterator[int]], skip: int, take: int
    ) -> tuple[list[int], bool]:
        """Return the ids at [skip, skip + take) of `make`'s ordering, and whether more follow."""
        with self._lock:
            cursor = self._cursors.pop((key, skip), None)
        if cursor is None:
            cursor = make()
            if skip:
                next(islice(cursor, skip - 1, skip), None)
        items = list(islice(cursor, take + 1))
        more = len(items) > take
        if more:
            with self._lock:
                self._cursors[(key, skip + take)] = chain(items[take:], cursor)
                while len(self._cursors) > CURSORS_KEPT:
                    self._cursors.popitem(last=False)
        return items[:take], more
