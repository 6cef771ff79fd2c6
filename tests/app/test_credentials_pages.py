"""Credentials through app.py: no facilitator token on the projector, replaced codes, logout everywhere."""

from __future__ import annotations

from datetime import UTC, timedelta

from streamlit.testing.v1 import AppTest

from mintqo.db.models import LoginSession, utcnow
from mintqo.domain.codes import hash_token
from mintqo.domain.profile import Profile
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups, logins
from mintqo.ui import state
from tests.support import tokens
from tests.support.app_pages import facilitator_login

TIMEOUT = 60
GROUP_NAME = "Workshop Nordstadt"
RESUME_BUTTON = "FormSubmitter:start.resume-Fortsetzen"
ENDED = "Sie wurden abgemeldet"


def _fresh(at: AppTest) -> AppTest:
    return AppTest.from_file(at._script_path, default_timeout=TIMEOUT)


def _goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception
    return at


def _resume(at: AppTest, code: str) -> AppTest:
    at.run()
    _goto(at, "pages/start.py")
    at.text_input(key="start.code").input(code)
    at.button(key=RESUME_BUTTON).click().run()
    assert not at.exception
    return at


def _replace_code(at: AppTest, page: str, button: str) -> str:
    """Ask for a new code on the page with that button; the new code it shows once."""
    _goto(at, page)
    at.button(key=button).click().run()
    assert not at.exception
    return at.code[0].value


def _presentation_by_link(at: AppTest, presenter: str) -> AppTest:
    """A new browser session opening the presentation's address: it shows the slides."""
    copied = _fresh(at)
    copied.query_params[state.URL_PRESENTER] = presenter
    copied.run()
    _goto(copied, "pages/presentation.py")
    assert any("slide-title" in v for v in _slide_texts(copied))
    return copied


def _slide_texts(app: AppTest) -> list[str]:
    """Markdown and raw HTML of a page (the slide title and counter are st.html)."""
    return [m.value for m in app.markdown] + [h.value for h in app.get("html")]


def _texts(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in ("markdown", "error", "info", "success", "warning")
        for e in getattr(at, kind)
    ]
    return "\n".join(parts)


def _group(db, questionnaire) -> groups.CreatedGroup:
    with db() as s:
        return groups.create_group(s, questionnaire, GroupSpec(GROUP_NAME, "Nordregion", k=3))


def _project(db, questionnaire) -> analyses.Started:
    with db() as s:
        return analyses.start_analysis(s, questionnaire, Profile("Initiative", "Robotik-AG"))


def test_the_presentation_url_carries_only_a_presenter_token(at, db, questionnaire):
    created = _group(db, questionnaire)
    facilitator_login(at, created.facilitator_code)
    _goto(at, "pages/presentation.py")
    assert any("slide-title" in v for v in _slide_texts(at))
    assert state.URL_TOKEN not in at.query_params  # no facilitator token on the projector
    presenter = at.query_params[state.URL_PRESENTER]
    with db() as s:
        assert tokens.group_of(s, presenter) is None  # it opens no dashboard
        assert logins.presenter_group(s, presenter) == created.group_id

    # A reload of the projected address (or someone who copied it) sees the presentation only.
    copied = _presentation_by_link(at, presenter)
    _goto(copied, "pages/dashboard.py")
    assert "der Moderation vorbehalten" in _texts(copied)
    assert state.GROUP_ID not in copied.session_state

    # Ending the presentation ends the presenter token; the dashboard keeps the facilitator login.
    at.button(key="present.end").click().run()
    assert not at.exception
    _goto(at, "pages/dashboard.py")
    assert at.title[0].value == GROUP_NAME
    assert at.query_params[state.URL_TOKEN] and state.URL_PRESENTER not in at.query_params
    with db() as s:
        assert logins.presenter_group(s, presenter) is None


def test_a_replaced_facilitator_code_stops_working_and_logs_out_other_browsers(at, db, questionnaire):
    created = _group(db, questionnaire)
    other = facilitator_login(_fresh(at), created.facilitator_code)
    assert other.title[0].value == GROUP_NAME
    facilitator_login(at, created.facilitator_code)
    new_code = _replace_code(at, "pages/moderation.py", "account.group.new_code")
    assert new_code != created.facilitator_code
    assert "Der alte Code funktioniert nicht mehr" in _texts(at)

    other.run()  # the other browser's next interaction
    assert state.GROUP_ID not in other.session_state
    refused = facilitator_login(_fresh(at), created.facilitator_code)
    assert "Moderationscode ist uns nicht bekannt" in refused.error[0].value
    accepted = facilitator_login(_fresh(at), new_code)
    assert accepted.session_state[state.GROUP_ID] == created.group_id
    _goto(at, "pages/dashboard.py")
    assert at.title[0].value == GROUP_NAME  # this browser stays logged in


def test_a_replaced_project_code_stops_working(at, db, questionnaire):
    started = _project(db, questionnaire)
    _resume(at, started.code)
    new_code = _replace_code(at, "pages/results.py", "account.project.new_code")
    assert new_code != started.code
    refused = _resume(_fresh(at), started.code)
    assert "Zugangscode ist uns nicht bekannt" in refused.error[0].value
    accepted = _resume(_fresh(at), new_code)
    assert accepted.session_state[state.ANALYSIS_ID] == started.analysis_id
    at.button(key="account.project.noted").click().run()
    assert not at.code  # shown once


def test_logout_everywhere_ends_every_browser_of_the_project_at_its_next_interaction(at, db, questionnaire):
    started = _project(db, questionnaire)
    other = _resume(_fresh(at), started.code)
    assert other.session_state[state.ANALYSIS_ID] == started.analysis_id
    stale_url = other.query_params[state.URL_TOKEN]
    _resume(at, started.code)
    _goto(at, "pages/results.py")
    at.button(key="account.project.logout_all").click().run()
    assert not at.exception
    assert state.ANALYSIS_ID not in at.session_state
    assert "Alle Sitzungen sind abgemeldet" in _texts(at)  # st.switch_page to the start page

    other.run()  # the other browser's next interaction, here on the start page
    assert state.ANALYSIS_ID not in other.session_state
    assert ENDED in _texts(other)
    reload = _fresh(at)
    reload.query_params[state.URL_TOKEN] = stale_url
    reload.run()
    assert state.ANALYSIS_ID not in reload.session_state
    # The code itself still works.
    assert _resume(_fresh(at), started.code).session_state[state.ANALYSIS_ID] == started.analysis_id


def test_repeated_wrong_codes_get_the_german_wait_message(at, db):
    at.run()
    _goto(at, "pages/start.py")
    for _ in range(4):
        at.text_input(key="start.code").input("ABCD-EFGH-JKMN-PQRS")
        at.button(key=RESUME_BUTTON).click().run()
    message = at.error[0].value
    assert message.startswith("Zu viele Versuche. Bitte warten Sie ")
    assert message.endswith((" Sekunde.", " Sekunden.")) and "1 Sekunden" not in message


def test_the_facilitators_logout_ends_the_presenter_token_too(at, db, questionnaire):
    created = _group(db, questionnaire)
    facilitator_login(at, created.facilitator_code)
    _goto(at, "pages/presentation.py")
    presenter = at.query_params[state.URL_PRESENTER]
    copied = _presentation_by_link(at, presenter)

    _goto(at, "pages/dashboard.py")
    at.button(key="nav.group_logout").click().run()
    assert not at.exception
    assert state.GROUP_ID not in at.session_state
    copied.run()  # the projector's next interaction
    assert state.PRESENTER_GROUP not in copied.session_state
    assert not any("slide-title" in v for v in _slide_texts(copied))
    with db() as s:
        assert logins.presenter_group(s, presenter) is None
        assert not groups.group_info(s, created.group_id).presenting


def test_a_shared_dashboard_address_stops_working_once_its_token_is_a_few_minutes_old(at, db, questionnaire):
    created = _group(db, questionnaire)
    facilitator_login(at, created.facilitator_code)
    _goto(at, "pages/dashboard.py")
    seen = at.query_params[state.URL_TOKEN]  # what a screen share of the dashboard shows
    with db() as s:
        tokens.backdate(s, LoginSession, seen, created_at=logins.FACILITATOR_TOKEN_AGE + timedelta(seconds=1))
    at.run()  # the facilitator's next click
    assert not at.exception
    renewed = at.query_params[state.URL_TOKEN]
    assert renewed != seen and at.title[0].value == GROUP_NAME  # still logged in, new address
    with db() as s:
        old_end = s.get(LoginSession, hash_token(seen)).expires_at
        old_end = old_end if old_end.tzinfo else old_end.replace(tzinfo=UTC)
        assert old_end <= utcnow() + logins.ROTATION_GRACE  # the seen token ends within a minute
        assert tokens.group_of(s, renewed) == created.group_id
