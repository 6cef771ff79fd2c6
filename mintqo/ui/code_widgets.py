"""Codes shown once (the access code large, copyable and as a file; a group's two codes), what is open now."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from mintqo.services.groups import CreatedGroup
from mintqo.ui import page_end

T = TypeVar("T")

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


def group_codes(new_group: CreatedGroup) -> None:
    """A new group's two codes side by side: the facilitator's and the one to join with."""
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Moderationscode** – nur für Sie, öffnet das Dashboard:")
        st.code(new_group.facilitator_code, language=None)
    with right:
        st.markdown("**Gruppen-Code** – für die Initiativen zum Beitreten:")
        st.code(new_group.join_code, language=None)


def shown_once(
    state_key: str, title: str, show: Callable[[T], None], warning: str, label: str, key: str, page: str
) -> None:
    """Show new codes held under `state_key` once, with a warning and a button on; then stop the page.

    The button forgets the codes and switches to `page`.
    """
    new: T | None = st.session_state.get(state_key)
    if not new:
        return
    with st.container(border=True):
        st.subheader(title)
        show(new)
        st.warning(warning, icon=":material/key:")
        if st.button(label, type="primary", key=key):
            del st.session_state[state_key]
            st.switch_page(page)
    page_end.stop()


def open_now(text: str, page: str, label: str) -> None:
    """A box saying what is open now (`text`: Markdown, names already escaped) with a link to go on."""
    with st.container(border=True):
        st.markdown(text)
        st.page_link(page, label=label, icon=":material/arrow_forward:")
