"""Access codes: easy to type, >= 64 bits of randomness, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L: nothing that is easy to misread or mistype.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS = 4
GROUP_SIZE = 4
CODE_LENGTH = GROUPS * GROUP_SIZE


def generate_code() -> str:
    """A fresh random code such as "K7QM-3XHD-PW9A-TRC2" (about 79 bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(chars[i : i + GROUP_SIZE] for i in range(0, CODE_LENGTH, GROUP_SIZE))


def normalize_code(raw: str) -> str | None:
    """Canonical form of user input (case, spaces, dashes ignored), or None if it cannot be a code."""
    cleaned = "".join(ch for ch in raw.upper() if not ch.isspace() and ch not in "-–_.")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + GROUP_SIZE] for i in range(0, CODE_LENGTH, GROUP_SIZE))


def hash_code(code: str) -> str:
    """SHA-256 hex digest of the canonical code.

    A fast hash is enough here: codes carry ~79 random bits, so guessing is infeasible
    even with the hash, and a deterministic digest lets us look codes up by index.
    """
    canonical = normalize_code(code) or code
    return hashlib.sha256(canonical.encode("ascii", "replace")).hexdigest()


def generate_token() -> str:
    """An opaque URL-safe session token (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a session token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
