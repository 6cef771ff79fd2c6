"""Access codes: easy to type, hard to guess, stored only as hashes."""

from __future__ import annotations

import hashlib
import math
import re

import pytest

from mintqo.domain.codes import (
    ALPHABET,
    CODE_LENGTH,
    generate_code,
    generate_token,
    hash_code,
    hash_token,
    normalize_code,
)

CODE = "K7QM-3XHD-PW9A-TRC2"
_CODE_RE = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def test_alphabet_has_no_ambiguous_characters():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert ALPHABET.upper() == ALPHABET


def test_codes_have_at_least_64_bits_of_entropy():
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 64


def test_generated_codes_have_the_printed_format():
    for _ in range(200):
        code = generate_code()
        assert _CODE_RE.match(code), code
        assert len(code) == 19
        assert not set("0O1IL") & set(code)


def test_generated_codes_are_unique():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000


def test_generated_codes_use_the_whole_alphabet():
    used = set("".join(generate_code() for _ in range(500)).replace("-", ""))
    assert used == set(ALPHABET)


def test_generated_code_normalizes_to_itself():
    code = generate_code()
    assert normalize_code(code) == code


@pytest.mark.parametrize(
    "raw",
    [
        CODE,
        CODE.lower(),
        "k7qm-3xhd-pw9a-trc2",
        "K7QM3XHDPW9ATRC2",
        "k7qm3xhdpw9atrc2",
        "K7QM 3XHD PW9A TRC2",
        "  K7QM-3XHD-PW9A-TRC2  ",
        "K7 QM3X HDPW 9ATR C2",
        "K7QM–3XHD–PW9A–TRC2",  # en dash as typed by word processors
        "K7QM_3XHD.PW9A-TRC2",
        "K7QM\t3XHD\nPW9A TRC2",
        "k7Qm-3XhD-pw9A-tRc2",
    ],
)
def test_normalize_code_accepts_sloppy_input(raw):
    assert normalize_code(raw) == CODE


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "----",
        "K7QM-3XHD-PW9A-TRC",  # 15 characters
        "K7QM-3XHD-PW9A-TRC22",  # 17 characters
        "K7QM-3XHD-PW9A",
        "K7QM-3XHD-PW9A-TRC0",  # zero
        "K7QM-3XHD-PW9A-TRCO",  # letter O
        "K7QM-3XHD-PW9A-TRC1",  # one
        "K7QM-3XHD-PW9A-TRCI",  # letter I
        "K7QM-3XHD-PW9A-TRCL",  # letter L
        "k7qm-3xhd-pw9a-trcl",  # lower-case l
        "K7QM-3XHD-PW9A-TRC!",
        "K7QM-3XHD-PW9A-TRCÄ",
        "K7QM/3XHD/PW9A/TRC2",
    ],
)
def test_normalize_code_rejects_what_cannot_be_a_code(raw):
    assert normalize_code(raw) is None


def test_hash_code_is_sha256_hex():
    digest = hash_code(CODE)
    assert _HEX64.match(digest)
    assert CODE not in digest
    assert CODE.replace("-", "").lower() not in digest


@pytest.mark.parametrize("variant", ["k7qm3xhdpw9atrc2", " K7QM 3XHD PW9A TRC2 ", "K7QM–3XHD–PW9A–TRC2"])
def test_hash_code_is_equal_for_differently_typed_same_code(variant):
    assert hash_code(variant) == hash_code(CODE)


def test_hash_code_differs_for_different_codes():
    other = "K7QM-3XHD-PW9A-TRC3"
    assert hash_code(other) != hash_code(CODE)
    hashes = {hash_code(generate_code()) for _ in range(500)}
    assert len(hashes) == 500


def test_hash_code_is_stable_across_releases():
    # Codes handed out earlier are stored as this digest; it must keep matching.
    assert hash_code(CODE) == hashlib.sha256(CODE.encode("ascii")).hexdigest()


def test_generate_token_is_url_safe_and_unique():
    tokens = {generate_token() for _ in range(500)}
    assert len(tokens) == 500
    for token in list(tokens)[:50]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token), token


def test_hash_token_is_sha256_hex_and_deterministic():
    token = generate_token()
    digest = hash_token(token)
    assert _HEX64.match(digest)
    assert digest == hash_token(token)
    assert token not in digest
    assert digest != token


def test_hash_token_differs_for_different_tokens():
    a, b = generate_token(), generate_token()
    assert hash_token(a) != hash_token(b)
    assert hash_token(a) != hash_token(a + "x")
    assert hash_token("ä-token") != hash_token("a-token")
