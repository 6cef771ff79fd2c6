"""Read questionnaire files from disk: size and encoding checks, safe YAML, validation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.questionnaire_validation import (
    Problem,
    QuestionnaireError,
    parse_questionnaire,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
SUFFIXES = (".yaml", ".yml", ".json")


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses anchors/aliases (they allow exponential blow-up)."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
            raise yaml.MarkedYAMLError(
                None,
                None,
                "Anker/Aliase (*name) werden nicht unterstützt",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _parse_bytes(raw: bytes) -> object:
    if len(raw) > MAX_FILE_BYTES:
        raise QuestionnaireError(
            [
                Problem(
                    "",
                    f"Datei zu groß ({len(raw):,} Bytes, höchstens {MAX_FILE_BYTES:,})",
                )
            ]
        )
    if not raw.strip():
        raise QuestionnaireError([Problem("", "Datei ist leer")])
    if b"\x00" in raw:
        raise QuestionnaireError([Problem("", "keine Textdatei (enthält Binärdaten)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionnaireError([Problem(f"Byte {exc.start}", "keine gültige UTF-8-Textdatei")]) from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"Zeile {mark.line + 1}, Spalte {mark.column + 1}" if mark else ""
        return _raise(where, f"YAML-Syntaxfehler: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        return _raise("", f"YAML-Fehler: {exc}")
    except RecursionError:
        return _raise("", "zu tief verschachtelt")
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors raise plain exceptions for values such as 2026-02-30 or "!!int eins".
        return _raise("", f"Wert kann nicht gelesen werden ({exc})")


def _raise(location: str, message: str) -> object:
    raise QuestionnaireError([Problem(location, message)])


def load_bytes(raw: bytes) -> Questionnaire:
    """Parse and validate questionnaire file content; raise QuestionnaireError on any problem."""
    try:
        return parse_questionnaire(_parse_bytes(raw))
    except RecursionError:
        raise QuestionnaireError([Problem("", "zu tief verschachtelt")]) from None


def load_file(path: Path) -> Questionnaire:
    """Load and validate one questionnaire file."""
    try:
        if not path.is_file():
            raise QuestionnaireError([Problem("", "Datei nicht gefunden")])
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise QuestionnaireError([Problem("", f"Datei nicht lesbar ({exc.strerror})")]) from None
    return load_bytes(raw)


def check_file(path: Path) -> list[Problem]:
    """Every problem in a questionnaire file; empty list when it is valid."""
    try:
        load_file(path)
    except QuestionnaireError as exc:
        return exc.problems
    return []


@lru_cache(maxsize=8)
def load_directory(directory: Path) -> dict[str, Questionnaire]:
    """All editions in a directory, keyed by edition id; invalid files raise."""
    editions: dict[str, Questionnaire] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            q = load_file(path)
        except QuestionnaireError as exc:
            raise QuestionnaireError(
                [Problem(f"{path.name}: {p.location}", p.message) for p in exc.problems]
            ) from None
        if q.edition in editions:
            raise QuestionnaireError([Problem(path.name, f"Ausgabe „{q.edition}“ doppelt")])
        editions[q.edition] = q
    return editions


def get_edition(directory: Path, edition: str) -> Questionnaire:
    """One edition from a directory; KeyError if it is not there."""
    return load_directory(directory)[edition]
