"""Command-line mistakes get a German message and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from mintqo.cli import main
from mintqo.config import Settings


def _run(argv, settings=None) -> int:
    try:
        return main(argv, settings=settings)
    except SystemExit as exc:  # argparse ends the process itself
        return int(exc.code)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import-package"], "Fehler: es fehlt: file"),
        (["frobnicate"], "Fehler: Angabe command: unbekannter Befehl: 'frobnicate' (möglich sind 'init-db'"),
        (["backup", "a", "b"], "Fehler: unbekannte Angaben: b"),
    ],
)
def test_wrong_calls_say_what_is_wrong_in_german(argv, message, capsys):
    assert _run(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_folder_is_neither_a_package_nor_a_backup(tmp_path, capsys):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert _run(["import-package", str(tmp_path)], settings) == 2
    assert capsys.readouterr().err == f"Fehler: {tmp_path} ist ein Ordner, keine Paketdatei.\n"
    assert _run(["restore", str(tmp_path)], settings) == 2
    assert capsys.readouterr().err == f"Fehler: {tmp_path} ist ein Ordner, keine Sicherungsdatei.\n"
