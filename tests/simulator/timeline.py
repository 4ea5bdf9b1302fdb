"""Compact per-id structures that let a million-ticket account start instantly.

Only two integer arrays are built ahead (created and updated second of each seeded ticket); every
other field is derived on demand from (seed, id). Because both arrays are non-decreasing with the
ticket id, as on a real account whose ids are assigned at creation and whose history was loaded in
order, a range query on either timestamp is a binary search.
"""

from __future__ import annotations

import bisect
import random
from array import array
from collections.abc import Iterator
from math import gcd

from tests.simulator.clock import HISTORY_SECONDS

#: Lengths of runs of tickets sharing one `updated_at` second: many 1s, many 2 to 5s.
RUN_LENGTHS = (1, 1, 1, 1, 2, 2, 3, 4, 5)
#: Longest gap between a ticket's creation and its (seeded) last update.
MAX_LAG_SECONDS = 10 * 86400


class TicketTimeline:
    """`updated[i-1]` and `created[i-1]`: seconds after EPOCH of seeded ticket i.

    Runs of 2 to 5 tickets share an `updated_at` second, and one run of `burst_size` tickets in the
    middle shares a single second: Freshdesk's one-second precision makes ties common, and a bulk
    update makes thousands, which is what breaks naive `updated_since` windowing.
    """

    def __init__(self, seed: int, count: int, burst_size: int) -> None:
        rng = random.Random(seed * 1_000_003 + 17)
        mean_run = sum(RUN_LENGTHS) / len(RUN_LENGTHS)
        gap = max(2, int(HISTORY_SECONDS * mean_run / max(count, 1)))
        burst_start = count // 2 if count >= 2 * burst_size else -1
        updated = array("q", bytes(8 * count))
        created = array("q", bytes(8 * count))
        now = MAX_LAG_SECONDS
        left_in_run = 0
        floor = 0
        rand = rng.random
        runs = RUN_LENGTHS
        for index in range(count):
            if burst_start <= index < burst_start + burst_size and burst_start >= 0:
                if index == burst_start:
                    now += 1 + int(rand() * 2 * gap)
                left_in_run = 0
            elif left_in_run == 0:
                now += 1 + int(rand() * 2 * gap)
                left_in_run = runs[int(rand() * len(runs))] - 1
            else:
                left_in_run -= 1
            updated[index] = now
            made = now - int(rand() * MAX_LAG_SECONDS)
            floor = made if made > floor else floor
            created[index] = floor
        self.updated = updated
        self.created = created
        self.count = count

    def first_updated_at_or_after(self, seconds: int) -> int:
        """Return the lowest ticket id whose seeded `updated_at` is at or after `seconds`."""
        return bisect.bisect_left(self.updated, seconds) + 1

    def first_created_at_or_after(self, seconds: int) -> int:
        """Return the lowest ticket id whose `created_at` is at or after `seconds`."""
        return bisect.bisect_left(self.created, seconds) + 1


class Scatter:
    """Exact-size, pseudo-random subsets of ids 1..n without storing a flag per id.

    An affine permutation h(i) = (a·(i-1) + b) mod n assigns each id a rank; ids ranked below the
    first size are in the first subset, the next ones in the second, and so on. Membership is O(1)
    and each subset's sorted ids are cheap to list, which the `filter=deleted` pass needs.
    """

    def __init__(self, seed: int, n: int, sizes: tuple[int, ...]) -> None:
        self.n = n
        self.bounds: list[int] = []
        total = 0
        for size in sizes:
            total = min(n, total + size)
            self.bounds.append(total)
        rng = random.Random(seed * 7_919 + n)
        a = rng.randrange(1, max(2, n)) if n > 1 else 1
        while n > 1 and gcd(a, n) != 1:
            a += 1
        self.a = a % max(n, 1) or 1
        self.b = rng.randrange(0, max(n, 1))
        self.members = [self._listed(k) for k in range(len(sizes))]

    def kind(self, item: int) -> int | None:
        """Return the subset `item` belongs to (0, 1, …) or None."""
        if not 1 <= item <= self.n:
            return None
        rank = (self.a * (item - 1) + self.b) % self.n
        for position, bound in enumerate(self.bounds):
            if rank < bound:
                return position
        return None

    def _listed(self, position: int) -> list[int]:
        if self.n == 0:
            return []
        inverse = pow(self.a, -1, self.n) if self.n > 1 else 0
        low = self.bounds[position - 1] if position else 0
        return sorted(
            ((rank - self.b) * inverse) % self.n + 1 for rank in range(low, self.bounds[position])
        )

    def ids_from(self, position: int, first: int) -> Iterator[int]:
        """Sorted ids of one subset, from `first` on."""
        listed = self.members[position]
        yield from listed[bisect.bisect_left(listed, first) :]
