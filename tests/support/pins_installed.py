"""Exit 0 when every `name==version` pin of a requirements file (and the files it includes with -r) is
installed in this interpreter, else 1: scripts/test.sh then runs pip (which takes seconds even when
nothing is missing)."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;#]+)\s*(#.*)?$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def missing(requirements: Path) -> list[str]:
    """The lines of the file (and its -r includes) that are not installed as pinned."""
    result: list[str] = []
    for raw in requirements.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            result += missing(requirements.parent / line[3:].strip())
            continue
        match = PIN.match(line)
        if match is None:  # anything but an exact pin: let pip decide
            result.append(line)
            continue
        try:
            installed = metadata.version(match.group(1))
        except metadata.PackageNotFoundError:
            result.append(line)
            continue
        if _normalise(installed) != _normalise(match.group(3)):
            result.append(f"{line} (installed: {installed})")
    return result


def main(argv: list[str]) -> int:
    """Print what is missing; exit 1 if anything is."""
    gaps = [gap for name in argv for gap in missing(Path(name))]
    for gap in gaps:
        print(f"not installed as pinned: {gap}")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
