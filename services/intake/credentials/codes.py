"""The code a person types: how it is drawn, written and read back.

Nine characters from an alphabet without the look-alikes 0/O, 1/I/L (31 symbols: 31⁹ ≈ 2^44.6,
over the 40 bits asked for; eight would be 2^39.6, just under), ten for the enterprise access
code, which opens every matter of an enterprise (2^49.5), drawn with `secrets`.  It plays the part the court's 诉讼服务密码 plays on a 受理通知书
(RULES §2): whoever holds the receipt may see the case's public progress, nobody else.
"""

from __future__ import annotations

import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 9
# An enterprise access code opens every matter of the enterprise: longer than a case's code.
ENTERPRISE_LENGTH = 10


def new_code(length: int = LENGTH) -> str:
    """A fresh random code, e.g. ``7KQ3XM9TA``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(entered: str) -> str:
    """What a person typed, as issued: full-width folded, spaces and hyphens gone, upper case."""
    folded = unicodedata.normalize("NFKC", entered)
    return "".join(ch for ch in folded.upper() if ch not in " -\t")


def display(code: str | None) -> str | None:
    """``7KQ-3XM-9TA`` (``7KQ3-XM9T-AB`` for ten): short groups are easier to read out and to type."""
    if not code:
        return code
    size = 3 if len(code) % 3 == 0 else 4
    return "-".join(code[i:i + size] for i in range(0, len(code), size))
