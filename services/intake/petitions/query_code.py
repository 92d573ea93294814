"""The public query code (查询码) of a petition: printed on the 受理回执, asked for by the public status query.

It plays the part the court's 诉讼服务密码 plays on a 受理通知书 (RULES §2): whoever holds the
receipt may see the case's public progress, nobody else.  Eight characters from an alphabet
without the look-alikes 0/O, 1/I/L (31 symbols: about 40 bits), drawn with `secrets`.  Stored
encrypted (shared/pii, purpose ``petition.query_code``) rather than hashed, so staff can reprint
a lost receipt; compared in constant time.  Guessing is bounded by the per-address rate limit
of the status query (services/intake/public/throttle.py), not by the code's length alone.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
PURPOSE = "petition.query_code"
# Compared against when there is no case, so an unknown case costs what a wrong code costs.
_NO_CASE = "Z" * LENGTH


def new_code() -> str:
    """A fresh random code, e.g. ``7KQ3XM9T``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(entered: str) -> str:
    """What a person typed, as stored: full-width folded, spaces and hyphens gone, upper case."""
    folded = unicodedata.normalize("NFKC", entered)
    return "".join(ch for ch in folded.upper() if ch not in " -\t")


def display(code: str | None) -> str | None:
    """``7KQ3-XM9T``: two groups of four are easier to read out and to type."""
    if not code:
        return code
    return f"{code[:4]}-{code[4:]}"


def matches(stored: str | None, entered: str) -> bool:
    """Whether `entered` is the stored code, in time independent of where they differ.

    With no stored code (no such case) a constant is compared instead, so the two failures take
    the same path.
    """
    candidate = normalise(entered).encode("utf-8")
    expected = (stored or _NO_CASE).encode("utf-8")
    same = hmac.compare_digest(expected, candidate)
    return same and stored is not None
