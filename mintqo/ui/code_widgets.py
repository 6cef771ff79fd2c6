"""The access code shown once: large, readable, copyable, and as a text file to print or keep."""

from __future__ import annotations

import streamlit as st

# Large, spaced, dark-on-light monospace; the copy button always visible (not only on hover).
_CSS = """<style>
.st-key-start-code [data-testid="stCode"] code,
.st-key-start-code [data-testid="stCode"] pre {
  font-size: clamp(1.05rem, 4.6vw, 2.2rem); letter-spacing: 0.1em; color: #111; font-weight: 600;
}
.st-key-start-code [data-testid="stCode"] > div:last-child,
.st-key-start-code [data-testid="stCode"] > div:last-child * {
  opacity: 1 !important; visibility: visible !important;
}
</style>"""


def code_text(code: str, link: str, project: str = "") -> str:
    """The print-friendly sheet: the code, the resume link and how to use both."""
    lines = [
        "mintqo – Zugangscode Ihrer Selbstanalyse",
        f"Projekt: {project}" if project else "",
        "",
        f"Zugangscode:  {code}",
        "",
        "Link zum Fortsetzen:",
        link,
        "",
        "So geht es weiter: Startseite öffnen, „Mit Zugangscode fortsetzen“ wählen, den Code und",
        "(wenn mehrere im Team bewerten) Ihren Vornamen eingeben.",
        "Bewahren Sie diesen Zettel sicher auf: Wer den Code hat, kann Ihre Antworten sehen und ändern.",
    ]
    return "\n".join(line for i, line in enumerate(lines) if line or i != 1) + "\n"


def code_box(code: str, link: str, project: str = "") -> None:
    """Show the code big with a copy button, the link, and a file to print or save."""
    st.html(_CSS)
    with st.container(key="start-code"):
        st.code(code, language=None)
    st.caption("Zum Kopieren auf das Symbol rechts im Feld klicken.")
    st.markdown("Link zum Fortsetzen (als Lesezeichen speichern):")
    st.code(link, language=None, wrap_lines=True)
    st.download_button(
        "Code ausdrucken oder speichern (Textdatei)",
        code_text(code, link, project),
        file_name="mintqo-zugangscode.txt",
        mime="text/plain",
        icon=":material/print:",
        key="start.code_file",
        on_click="ignore",
        help="Eine kurze Textdatei mit Code, Link und Anleitung – zum Ausdrucken oder Ablegen.",
    )
