"""The app starts the PDF warm-up at the first page view when MINTQO_PDF_WARMUP is on, and not when off."""

from __future__ import annotations

import pytest

from mintqo import warmup


@pytest.mark.parametrize(("setting", "starts"), [("true", True), ("false", False)])
def test_the_first_page_view_starts_the_pdf_warm_up_only_when_switched_on(at, monkeypatch, setting, starts):
    monkeypatch.setenv("MINTQO_PDF_WARMUP", setting)
    monkeypatch.setattr(warmup, "_thread", None)  # as in a fresh process
    at.run()
    assert not at.exception
    assert at.title[0].value == "Selbstanalyse für MINT-Initiativen"  # the page itself came
    assert (warmup._thread is not None) is starts
