"""Command line `python -m mintqo`: set up and check the database, questionnaires, demo, backups, packages.

Sub-commands: init-db | check | questionnaire check PATH | demo | backup PATH | restore PATH |
export-package [--output PATH] | import-package FILE | list-packages.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from mintqo.backup import BackupError, backup, restore
from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.package import Package, PackageError
from mintqo.domain.questionnaire_validation import QuestionnaireError
from mintqo.questionnaire_files import check_file, get_edition


def _init_db(settings: Settings) -> int:
    from mintqo.db.schema_state import schema_state

    engine = make_engine(settings.database_url, replace(settings, db_pool_size=1, db_max_overflow=0))
    try:
        state = schema_state(engine)
    finally:
        engine.dispose()
    if state.status == "ahead":  # never touch a schema written by newer code
        print(f"Fehler: {state.reason}", file=sys.stderr)
        return 1
    migrate(settings.database_url)
    print(f"Datenbank ist bereit: {_safe_url(settings.database_url)}")
    return 0


def _ready(settings: Settings) -> int:
    """Readiness for orchestrators: 0 when the database answers and its schema is at head."""
    from mintqo.db.schema_state import schema_state

    engine = make_engine(settings.database_url, replace(settings, db_pool_size=1, db_max_overflow=0))
    try:
        state = schema_state(engine)
    except SQLAlchemyError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"nicht bereit: Datenbank {_safe_url(settings.database_url)} antwortet nicht ({first})")
        return 1
    finally:
        engine.dispose()
    if state.status == "ahead" and state.servable(settings.accept_schema_revisions):
        print(f"bereit: Schema {', '.join(state.database)} per MINTQO_ACCEPT_SCHEMA_REVISIONS zugelassen")
        return 0
    print(("bereit: " if state.status == "current" else "nicht bereit: ") + state.reason)
    return 0 if state.status == "current" else 1


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _check(path: str) -> int:
    problems = check_file(Path(path))
    for problem in problems:
        print(f"{path}: {problem}")
    if not problems:
        print(f"{path}: in Ordnung")
    return 1 if problems else 0


def _demo(settings: Settings) -> int:
    from mintqo.services.demo import create_demo, create_demo_group

    questionnaire = get_edition(settings.questionnaire_dir, settings.default_edition)
    if settings.auto_migrate:
        migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as session:
        started = create_demo(session, questionnaire)
        group = create_demo_group(session, questionnaire, started)
    engine.dispose()
    print(
        "Demo-Selbstanalyse angelegt: ein Team aus drei Personen (Jana, Alex, Bea), zwei Runden, Maßnahmen."
    )
    print(f"Zugangscode: {started.code}")
    print("Starten Sie die App und geben Sie den Code unter „Mit Zugangscode fortsetzen“ ein;")
    print("mit dem Namen „Jana“, „Alex“ oder „Bea“ dazu bewerten Sie als dieses Teammitglied.")
    print()
    print("Demo-Workshopgruppe mit 8 Projekten: Runde 1 und Runde 2 freigegeben.")
    print(f"Moderationscode: {group.facilitator_code}   (Seite „Moderation“ → Dashboard und Präsentation)")
    print(f"Gruppen-Code zum Beitreten: {group.join_code}")
    print(f"Teilnehmer-Code 1: {group.participant_codes[0]}   (das Team-Projekt, Runde 2)")
    print(f"Teilnehmer-Code 2: {group.participant_codes[1]}   (ein anderes Projekt der Gruppe)")
    return 0


def _backup(command: str, settings: Settings, path: Path) -> int:
    if command == "backup":
        written = backup(settings.database_url, path)
        print(f"Sicherung geschrieben: {written}")
        return 0
    restored = restore(settings.database_url, path)
    print(f"Datenbank {restored} aus {path} wiederhergestellt.")
    return 0


def _date(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%d.%m.%Y %H:%M} UTC"


def _parts_lines(package: Package) -> list[str]:
    return [
        f"  {p.edition} · Runde {p.round} · Region {p.region}: {p.n_analyses} Selbstanalysen aus "
        f"{p.n_groups} {'Gruppe' if p.n_groups == 1 else 'Gruppen'} (Freigaben {p.first:%d.%m.%Y}"
        + (f"–{p.last:%d.%m.%Y})" if p.last != p.first else ")")
        for p in package.parts
    ]


def _packages(command: str, settings: Settings, path: Path | None) -> int:
    from mintqo.services import package_export, package_import

    if command == "export-package" and path is not None and path.exists():
        raise PackageError(f"{path} gibt es schon – bitte einen neuen Dateinamen wählen.")
    if settings.auto_migrate:
        migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            if command == "export-package":
                package, content = package_export.export_package(session, settings.questionnaire_dir)
                target = path or package_export.default_path(Path.cwd())
                package_export.write_new_file(target, content)
            else:
                assert path is not None
                package = package_import.read_package(path, settings.questionnaire_dir)
                result = package_import.import_package(session, package)
    finally:
        engine.dispose()
    parts = f"{len(package.parts)} {'Teil' if len(package.parts) == 1 else 'Teile'}"
    lines = "\n".join(_parts_lines(package))
    if command == "export-package":
        print(f"Paket geschrieben: {target}")
        print(
            f"{parts}, {package.n_analyses} Selbstanalysen – nur Häufigkeiten je Aussage und Kriterium, "
            "keine Antworten, Namen oder Freitexte."
        )
        print(
            lines
            or "  (kein freigegebenes Gruppenbild – beim Import nimmt dieses leere Paket frühere Zahlen "
            "dieser Instanz heraus)"
        )
        print(f"Paket-Id {package.package_id}, Instanz {package.source_instance}")
        return 0
    if result.status == package_import.DUPLICATE:
        print(f"Dieses Paket ist schon importiert (am {_date(result.imported_at)}).")
        print("Nichts wurde doppelt gezählt.")
        return 0
    print(f"Paket importiert: {path}")
    print(f"Erstellt {_date(package.created_at)} von Instanz {package.source_instance}.")
    if result.replaced_created_at is not None:
        print(f"Es ersetzt das Paket derselben Instanz vom {_date(result.replaced_created_at)}.")
    if package.parts:
        print(
            f"{parts}, {package.n_analyses} Selbstanalysen – sie zählen ab jetzt in den Vergleichen "
            "„Region“ und „Alle Workshopgruppen“."
        )
        print(lines)
    else:
        print("Das Paket enthält keine Teile: von dieser Instanz zählen jetzt keine Zahlen mehr.")
    return 0


def _list_packages(settings: Settings) -> int:
    from mintqo.services import package_import

    if settings.auto_migrate:
        migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            counting = package_import.imported(session)
    finally:
        engine.dispose()
    if not counting:
        print("Noch kein Datenpaket importiert.")
        return 0
    counts = "1 Instanz zählt" if len(counting) == 1 else f"{len(counting)} Instanzen zählen"
    print(f"{counts} mit ihrem neuesten Paket:")
    for p in counting:
        print(
            f"  Instanz {p.source_instance}: Paket vom {_date(p.created_at)}, "
            f"importiert {_date(p.imported_at)}, {p.n_parts} {'Teil' if p.n_parts == 1 else 'Teile'}, "
            f"{p.n_analyses} Selbstanalysen"
        )
    return 0


_ARGPARSE_GERMAN = (
    ("the following arguments are required", "es fehlt"),
    ("unrecognized arguments", "unbekannte Angaben"),
    ("invalid choice", "unbekannter Befehl"),
    ("choose from", "möglich sind"),
    ("expected one argument", "erwartet einen Wert"),
    ("argument ", "Angabe "),
)


class _Parser(argparse.ArgumentParser):
    """argparse with its error messages in German (usage and exit code 2 as before)."""

    def error(self, message: str) -> NoReturn:
        for english, german in _ARGPARSE_GERMAN:
            message = message.replace(english, german)
        self.print_usage(sys.stderr)
        self.exit(2, f"Fehler: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for all sub-commands."""
    parser = _Parser(prog="python -m mintqo", description="mintqo – MINT-Qualitätsanalyse")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="Datenbank anlegen bzw. auf den neuesten Stand bringen")
    sub.add_parser(
        "check", help="Bereitschaft prüfen: Datenbank erreichbar und Schema aktuell (Exit-Code 0, sonst 1)"
    )
    q = sub.add_parser("questionnaire", help="Fragebogen-Dateien")
    qsub = q.add_subparsers(dest="action", required=True)
    check = qsub.add_parser("check", help="Fragebogen-Datei prüfen (Exit-Code 1 bei Problemen)")
    check.add_argument("path")
    sub.add_parser("demo", help="Demo-Initiative mit vollständiger Selbstanalyse anlegen")
    b = sub.add_parser(
        "backup", help="Konsistente Kopie der SQLite-Datenbank schreiben (auch im laufenden Betrieb)"
    )
    b.add_argument("path")
    r = sub.add_parser("restore", help="Datenbank aus einer Sicherung wiederherstellen (App vorher beenden)")
    r.add_argument("path")
    e = sub.add_parser(
        "export-package",
        help="Nationales Datenpaket schreiben (nur Häufigkeiten freigegebener Gruppenbilder, nie Antworten)",
    )
    e.add_argument(
        "--output", type=Path, help="Zieldatei (Standard: mintqo-paket-JJJJ-MM-TT.json im aktuellen Ordner)"
    )
    i = sub.add_parser("import-package", help="Nationales Datenpaket einer anderen Instanz einlesen")
    i.add_argument("file", type=Path)
    sub.add_parser("list-packages", help="Importierte Datenpakete anzeigen, die in den Vergleichen zählen")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    settings = settings or Settings.from_env()
    try:
        if args.command == "init-db":
            return _init_db(settings)
        if args.command == "check":
            return _ready(settings)
        if args.command == "questionnaire":
            return _check(args.path)
        if args.command in ("backup", "restore"):
            return _backup(args.command, settings, Path(args.path))
        if args.command == "export-package":
            return _packages(args.command, settings, args.output)
        if args.command == "import-package":
            return _packages(args.command, settings, args.file)
        if args.command == "list-packages":
            return _list_packages(settings)
        return _demo(settings)
    except (BackupError, PackageError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except QuestionnaireError as exc:
        for problem in exc.problems:
            print(f"Fragebogen-Fehler: {problem}", file=sys.stderr)
        return 2
    except KeyError as exc:
        print(
            f"Fehler: Fragebogen-Ausgabe {exc} nicht gefunden in {settings.questionnaire_dir}",
            file=sys.stderr,
        )
        return 2
    except (SQLAlchemyError, OSError, ValueError) as exc:
        print(
            f"Fehler bei der Datenbank {_safe_url(settings.database_url)}: {exc}",
            file=sys.stderr,
        )
        return 2
