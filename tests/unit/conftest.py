"""Unit-test helpers: a small valid questionnaire built from a plain dict, and the default file."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_questionnaire import small_dict

from mintqo.config import DEFAULT_QUESTIONNAIRE_DIR
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.questionnaire_validation import parse_questionnaire

DEFAULT_FILE = DEFAULT_QUESTIONNAIRE_DIR / "mintqo-standard-2026.1.yaml"


@pytest.fixture
def small_q() -> Questionnaire:
    """The small questionnaire, parsed."""
    return parse_questionnaire(small_dict())


@pytest.fixture(scope="session")
def default_file() -> Path:
    """Path of the shipped default questionnaire."""
    return DEFAULT_FILE
