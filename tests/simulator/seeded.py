"""Seeded randomness: one generator per record, and the words, names and files records use.

A record is a pure function of (seed, stream, number): its generator is seeded by those three,
so any record can be built on its own, in any order, at any time.
"""

from __future__ import annotations

import random
from typing import Any

from tests.simulator.clock import stamp_at
from tests.simulator.fields import WORDS

FIRST = ("Ada", "Ben", "Chloé", "Dmitri", "Eva", "Farid", "Grace", "Hiro", "Ines", "José")
LAST = ("Ng", "Okafor", "Müller", "Rossi", "Smith", "Tanaka", "Varga", "Wójcik", "Dubois")


def rng_for(seed: int, stream: str, number: int) -> random.Random:
    """Return the generator of one record: one (seed, stream, number), one record, always."""
    return random.Random(f"{seed}/{stream}/{number}")


def sometimes(rng: random.Random, value: Any, null_rate: float = 0.15) -> Any:
    """`value`, or null as often as Freshdesk leaves optional fields empty."""
    return None if rng.random() < null_rate else value


def sentence(rng: random.Random, words: int = 4) -> str:
    """Return a few seeded words, capitalised: a subject, a title, a body."""
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def person(rng: random.Random) -> tuple[str, str]:
    """Return a seeded first and last name."""
    return rng.choice(FIRST), rng.choice(LAST)


def email_of(first: str, last: str, number: int, domain: str = "example.com") -> str:
    """Return a unique address for a person: ASCII name, record number, domain."""
    ascii_name = f"{first}.{last}".encode("ascii", "ignore").decode().lower()
    return f"{ascii_name}.{number}@{domain}"


def attachment(rng: random.Random, owner: int, created: int) -> dict[str, Any]:
    """Attachment metadata; `attachment_url` is pre-signed and expiring, as on S3."""
    ident = owner * 10 + rng.randint(0, 9)
    name = rng.choice(("screenshot.png", "invoice.pdf", "log.txt"))
    return {
        "id": ident,
        "name": name,
        "content_type": {"png": "image/png", "pdf": "application/pdf", "txt": "text/plain"}[
            name.rsplit(".", 1)[1]
        ],
        "size": rng.randint(200, 2_000_000),
        "attachment_url": f"https://s3.amazonaws.com/cdn.freshdesk.com/data/{ident}/{name}"
        f"?X-Amz-Expires=300&X-Amz-Signature={rng.getrandbits(64):016x}",
        "thumb_url": None,
        "created_at": stamp_at(created),
        "updated_at": stamp_at(created),
    }
