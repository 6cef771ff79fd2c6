"""Pasting a text longer than a field allows keeps the text and says in German what is too long.

Streamlit drops a whole change that exceeds a widget's max_chars, so a pasted text used to leave
the field silently empty; the free-text fields now have no max_chars and the services' German
length checks answer instead.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from mintqo.services.analyses import MAX_NOTE_LENGTH

pytestmark = pytest.mark.e2e


def test_a_pasted_overlong_text_stays_in_the_field_with_a_german_message(
    app_server: str, page: Page, wait_for_app: Callable[..., None]
) -> None:
    page.goto(app_server)
    initiative = page.get_by_role("textbox", name="Name der Initiative *")
    wait_for_app(page, initiative)
    initiative.focus()
    page.keyboard.insert_text("Sehr lange Initiative " * 6)  # 132 characters, like a paste
    expect(initiative).to_have_value("Sehr lange Initiative " * 6)
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Robotik-AG")
    page.get_by_role("button", name="Selbstanalyse starten").click()
    wait_for_app(page, page.get_by_text("„Name der Initiative“ ist zu lang (131 Zeichen, höchstens 120)."))
    expect(initiative).to_have_value("Sehr lange Initiative " * 6)

    initiative.fill("Kurze Initiative")
    page.get_by_role("button", name="Selbstanalyse starten").click()
    wait_for_app(page, page.get_by_role("heading", name="Ihr Zugangscode"))
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()
    page.get_by_role("button", name="Los geht’s: zur Durchführung").click()
    note = page.get_by_role("textbox", name="Begründung / Belege")
    wait_for_app(page, note)
    long_note = "x" * (MAX_NOTE_LENGTH + 1)
    note.focus()
    page.keyboard.insert_text(long_note)
    note.blur()
    wait_for_app(page, page.get_by_text(f"Die Notiz ist zu lang (höchstens {MAX_NOTE_LENGTH} Zeichen)."))
    expect(note).to_have_value(long_note)
