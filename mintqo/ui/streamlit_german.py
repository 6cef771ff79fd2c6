"""German for the English texts and labels Streamlit's own frontend renders (exact matches only)."""

from __future__ import annotations

# Visible texts, tooltips, placeholders and screen-reader labels of Streamlit 1.5x's frontend,
# found by driving every page in Chromium. a11y.py replaces them in the browser; the e2e test
# fails when one of them is still visible or announced.
GERMAN: dict[str, str] = {
    # Page chrome: skip link, sidebar, status widget, toasts, dialogs.
    "Skip to main content": "Zum Inhalt springen",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Sidebar": "Seitenleiste",
    "App pages": "Seiten der App",
    "Navigate to home page": "Zur Startseite",
    "Main menu": "Hauptmenü",
    "Notifications": "Benachrichtigungen",
    "Running...": "Wird ausgeführt …",
    "Stop": "Anhalten",
    "Stopping...": "Wird angehalten …",
    "Connecting": "Verbindung wird hergestellt",
    "Connecting to Streamlit server": "Verbindung zum Server wird hergestellt",
    "Unable to connect to Streamlit server": "Keine Verbindung zum Server",
    "Close": "Schließen",
    "Dismiss": "Schließen",
    "Page not found": "Seite nicht gefunden",
    "Connection error": "Keine Verbindung zum Server",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Diese Seite gibt es nicht. Sie sehen stattdessen die Startseite."
    ),
    "Link to heading": "Link zu dieser Überschrift",
    "Scroll tabs left": "Reiter nach links blättern",
    "Scroll tabs right": "Reiter nach rechts blättern",
    "View more": "Mehr anzeigen",
    "View less": "Weniger anzeigen",
    # Text inputs and text areas (the hint below a changed field).
    "Press Enter to apply": "Mit Enter übernehmen",
    "Press Enter to submit form": "Mit Enter absenden",
    "Press Ctrl+Enter to apply": "Mit Strg+Enter übernehmen",
    "Press ⌘+Enter to apply": "Mit ⌘+Enter übernehmen",
    "Press Ctrl+Enter to submit form": "Mit Strg+Enter absenden",
    "Press ⌘+Enter to submit form": "Mit ⌘+Enter absenden",
    "Show password text": "Passwort anzeigen",
    "Hide password text": "Passwort verbergen",
    "Clear entry": "Eingabe löschen",
    # Select boxes, number and date inputs.
    "Choose an option": "Bitte auswählen",
    "Select...": "Auswählen …",
    "No results": "Keine Treffer",
    "Open": "Auswahl öffnen",
    "Clear all": "Auswahl leeren",
    "Clear value": "Wert löschen",
    "Increment": "Erhöhen",
    "Decrement": "Verringern",
    "Choose date": "Datum auswählen",
    "Clear date": "Datum löschen",
    "Previous month": "Vorheriger Monat",
    "Next month": "Nächster Monat",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
        "Mit den Pfeiltasten durch die Tage gehen, mit Enter auswählen, mit Escape schließen."
    ),
    "Empty": "leer",
    "dd": "TT",
    "mm": "MM",
    "yyyy": "JJJJ",
    # Code blocks (access codes) and the data grid's toolbar and menus.
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Copied": "Kopiert",
    "Copied!": "Kopiert!",
    "Download as CSV": "Als CSV herunterladen",
    "Show/hide columns": "Spalten ein- oder ausblenden",
    "Search": "Suchen",
    "Close Search": "Suche schließen",
    "Next Result": "Nächster Treffer",
    "Previous Result": "Vorheriger Treffer",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild schließen",
    "Exit fullscreen": "Vollbild beenden",
    "Add row": "Zeile hinzufügen",
    "Delete row(s)": "Zeile(n) löschen",
    "Select all": "Alle auswählen",
    "Clear selection": "Auswahl aufheben",
    "Sort ascending": "Aufsteigend sortieren",
    "Sort descending": "Absteigend sortieren",
    "Pin column": "Spalte fixieren",
    "Unpin column": "Spalte lösen",
    "Hide column": "Spalte ausblenden",
    "Autosize": "Breite anpassen",
    "Dataframe column menu": "Spaltenmenü",
    "Copy column name": "Spaltennamen kopieren",
}

# Streamlit's connection-error dialog, shown while the server is down or unreachable. Its message
# is Markdown and its hint a code block, where user text would live elsewhere: these exact texts are
# translated inside a dialog only (the app opens no dialog of its own). The hint told users to run
# `streamlit run` in a terminal; the page reconnects by itself.
DIALOG_TEXTS: dict[str, str] = {
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:": (
        "Der Server antwortet gerade nicht. Sobald er wieder läuft, verbindet sich die Seite von selbst."
    ),
    "Streamlit server is not responding. Are you connected to the internet?": (
        "Der Server antwortet gerade nicht. Besteht eine Internetverbindung? Die Seite versucht es weiter."
    ),
    "streamlit run yourscript.py": "Bitte einen Moment warten.",
}

# Labels that end in the app's own (German) text: "Help for Zugangscode", "day, Teil 1 (Einführung)",
# the calendar's "Choose date, Dezember 2026" (its month and day names are German already).
PREFIXES: tuple[tuple[str, str], ...] = (
    ("Help for ", "Hilfe zu "),
    ("day, ", "Tag, "),
    ("month, ", "Monat, "),
    ("year, ", "Jahr, "),
    ("Choose date, ", "Datum auswählen, "),
)

# Where user text lives (Markdown, code blocks, tables, fields, options): never translated there.
PROTECTED = ", ".join(
    (
        "[data-testid='stMarkdownContainer']",
        "[data-testid='stCode']",
        "[data-testid='stTable']",
        "pre",
        "code",
        "textarea",
        "input",
        "[role='option']",
        "[data-baseweb='select'] [value]",
    )
)
