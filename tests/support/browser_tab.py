"""One user's browser tab in the end-to-end tests: its page, the wait for the app, shared steps."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page

START_HEADING = "Selbstanalyse für MINT-Initiativen"
SUBMITTED = re.compile(r"^Abgeschlossen am \d{2}\.\d{2}\.\d{4}\.$")


class Tab:
    """A browser tab and `wait(page, *locators)`, the wait for the app's run to show content."""

    def __init__(self, page: Page, wait: Callable[..., None]) -> None:
        self.page = page
        self.wait = wait

    def heading(self, name: str) -> Locator:
        return self.page.get_by_role("heading", name=name, exact=True)

    def submit(self) -> None:
        """Submit the open analysis and wait until the page says when it was submitted."""
        self.page.get_by_role("button", name="Selbstanalyse abschließen").first.click()  # atop or at the end
        self.wait(self.page, self.page.get_by_text(SUBMITTED))
