"""Which analysis or group this browser session has open: session state, URL tokens, resume link."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.domain.progress import first_open_step
from mintqo.domain.throttle import Attempts, wait_message
from mintqo.services import analyses, answers, groups, login_throttle, logins, team
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import state
from mintqo.ui.resources import db_session, questionnaire, settings


def open_analysis(analysis_id: int, rater_id: int | None = None) -> None:
    """Remember the analysis (and team member) here and in the URL, so a reload keeps it open."""
    close_group()  # one role per browser tab
    with db_session() as session:
        token = logins.open_login_session(session, analysis_id, settings().login_session_hours, rater_id)
    st.session_state[state.ANALYSIS_ID] = analysis_id
    st.session_state[state.RATER_ID] = rater_id
    st.session_state.pop(state.RUN_VIEW, None)
    st.session_state[state.TOKEN] = token
    st.session_state.pop(state.STEP, None)
    st.query_params[state.URL_TOKEN] = token


def close_analysis() -> None:
    """Log out: forget the analysis here and invalidate the URL token."""
    token = st.session_state.pop(state.TOKEN, None)
    if token:
        with db_session() as session:
            logins.close_login_session(session, token)
    for key in (
        state.ANALYSIS_ID,
        state.RATER_ID,
        state.STEP,
        state.NEW_CODE,
        state.RUN_VIEW,
        state.NEW_ACCOUNT_CODE,
    ):
        st.session_state.pop(key, None)
    st.query_params.clear()


def _throttled(
    kind: str, raw_code: str, lookup: Callable[[Session], int | None], unknown: str
) -> tuple[int | None, str | None]:
    """Look a code up unless it must wait after wrong codes: (id, None) or (None, error).

    Two throttles: this browser session's (immediate feedback for one person) and the shared
    one in the database, which also counts guesses spread over many sessions and replicas.
    """
    attempts: Attempts = st.session_state.get(state.ATTEMPTS, Attempts())
    with db_session() as session:
        wait = max(
            attempts.remaining_wait(time.monotonic()), login_throttle.wait_seconds(session, kind, raw_code)
        )
        if wait > 0:
            return None, wait_message(wait)
        found = lookup(session)
        if found is None:
            login_throttle.record_failure(session, kind, raw_code)
    if found is None:
        st.session_state[state.ATTEMPTS] = attempts.failed(time.monotonic())
        return None, unknown
    st.session_state[state.ATTEMPTS] = attempts.succeeded()
    return found, None


def try_code(raw_code: str, name: str | None = None) -> str | None:
    """Open the analysis for a code (as the named team member); returns a German error, or None."""
    analysis_id, error = _throttled(
        login_throttle.PROJECT,
        raw_code,
        lambda session: logins.resume_with_code(session, raw_code),
        "Dieser Zugangscode ist uns nicht bekannt. Bitte prüfen Sie die Schreibweise "
        "(16 Zeichen, z. B. K7QM-3XHD-PW9A-TRC2).",
    )
    if analysis_id is None:
        return error
    rater_id = None
    if name and name.strip():
        try:
            with db_session() as session:
                rater_id = team.member(session, analysis_id, name)
        except analyses.AnalysisError as exc:
            return str(exc)
    open_analysis(analysis_id, rater_id)
    return None


def restore_from_url() -> str | None:
    """On a fresh session, reopen from a URL token or a resume link; returns an error message.

    A token read from the URL is exchanged for a new one at once (logins.rotate_login), so an
    address that was copied, logged or seen stops opening anything shortly after.
    """
    params = st.query_params
    if not _logged_in():
        token = params.get(state.URL_TOKEN)
        if token:
            with db_session() as session:
                rotated = logins.rotate_login(session, token)
            if rotated is None:
                del params[state.URL_TOKEN]
            elif rotated[0].analysis_id is not None:
                login, fresh = rotated
                st.session_state[state.ANALYSIS_ID], st.session_state[state.RATER_ID] = (
                    login.analysis_id,
                    login.rater_id,
                )
                st.session_state[state.TOKEN] = fresh
            else:
                st.session_state[state.GROUP_ID] = rotated[0].group_id
                st.session_state[state.GROUP_TOKEN] = rotated[1]
        presenter = params.get(state.URL_PRESENTER)
        if presenter and not _logged_in():
            with db_session() as session:
                group_id = logins.presenter_group(session, presenter)
            if group_id is None:
                del params[state.URL_PRESENTER]
            else:
                st.session_state[state.PRESENTER_GROUP] = group_id
                st.session_state[state.PRESENTER_TOKEN] = presenter
        code = params.get(state.URL_CODE)
        if code and state.ANALYSIS_ID not in st.session_state:
            del params[state.URL_CODE]
            error = try_code(code)
            if error is None:
                st.session_state[state.GOTO_WALKTHROUGH] = True
            return error
    if state.URL_CODE in params:
        del params[state.URL_CODE]
    return None


def _logged_in() -> bool:
    return any(key in st.session_state for key in (state.ANALYSIS_ID, state.GROUP_ID, state.PRESENTER_GROUP))


def end_presenter() -> None:
    """Forget this tab's presenter token (the presentation ended)."""
    token = st.session_state.pop(state.PRESENTER_TOKEN, None)
    st.session_state.pop(state.PRESENTER_GROUP, None)
    if token:
        with db_session() as session:
            logins.close_presenter_session(session, token)
    if state.URL_PRESENTER in st.query_params:
        del st.query_params[state.URL_PRESENTER]


def open_group(group_id: int) -> None:
    """Open a group's facilitator pages in this tab (and in the URL, for reloads)."""
    if state.ANALYSIS_ID in st.session_state:
        close_analysis()
    with db_session() as session:
        token = groups.open_group_session(session, group_id, settings().login_session_hours)
    st.session_state[state.GROUP_ID] = group_id
    st.session_state[state.GROUP_TOKEN] = token
    st.session_state.pop(state.RUN_VIEW, None)
    st.query_params[state.URL_TOKEN] = token


def close_group() -> None:
    """Log the facilitator out of this tab; a running presentation (and its presenter tokens,
    also in other tabs) ends with it."""
    token = st.session_state.pop(state.GROUP_TOKEN, None)
    group_id = st.session_state.get(state.GROUP_ID)
    if token:
        with db_session() as session:
            logins.close_login_session(session, token)
            if group_id is not None:
                groups.set_presentation(session, group_id, presenting=False, slide=0)
                logins.close_presenter_sessions(session, group_id)
        st.query_params.clear()
    end_presenter()
    st.session_state.pop(state.GROUP_ID, None)
    st.session_state.pop(state.NEW_ACCOUNT_CODE, None)
    st.session_state.pop(state.RUN_VIEW, None)


def try_facilitator_code(raw_code: str) -> str | None:
    """Open the group for a facilitator code; returns a German error, or None on success."""
    group_id, error = _throttled(
        login_throttle.FACILITATOR,
        raw_code,
        lambda session: groups.facilitator_login(session, raw_code),
        "Dieser Moderationscode ist uns nicht bekannt. Bitte prüfen Sie die Schreibweise. "
        "Der Code einer Initiative öffnet das Dashboard nicht.",
    )
    if group_id is None:
        return error
    open_group(group_id)
    return None


def current_group() -> groups.GroupInfo | None:
    """The facilitator's open group, or None."""
    group_id = st.session_state.get(state.GROUP_ID)
    if group_id is None:
        return None
    try:
        with db_session() as session:
            return groups.group_info(session, group_id)
    except groups.GroupError:
        close_group()
        return None


def load_run_view() -> tuple[AnalysisInfo | None, groups.GroupInfo | None]:
    """Read the open analysis and group once per script run (app.py); pages reuse them."""
    _check_tokens()
    view = (current_analysis(), current_group())
    st.session_state[state.RUN_VIEW] = view
    return view


ENDED = (
    "Sie wurden abgemeldet: Die Anmeldung wurde an anderer Stelle beendet (z. B. „Alle Sitzungen "
    "abmelden“ oder ein neuer Code) oder ist abgelaufen. Bitte melden Sie sich erneut an."
)


def _check_tokens() -> None:
    """Every run: a token ended elsewhere (logout, new code, expiry) logs this tab out now."""
    token: str = st.session_state.get(state.TOKEN) or ""
    group_token: str = st.session_state.get(state.GROUP_TOKEN) or ""
    presenter: str = st.session_state.get(state.PRESENTER_TOKEN) or ""
    if not (token or group_token or presenter):
        return
    with db_session() as session:
        ended_analysis = bool(token) and logins.valid_login(session, token) is None
        ended_group = bool(group_token) and logins.valid_login(session, group_token) is None
        ended_presenter = bool(presenter) and logins.presenter_group(session, presenter) is None
    if ended_presenter and not ended_group and group_token:
        st.session_state.pop(state.PRESENTER_TOKEN)  # a facilitator just gets a fresh presenter token
        ended_presenter = False
    if ended_analysis:
        st.session_state.pop(state.TOKEN, None)  # already gone in the database
        close_analysis()
    if ended_group:
        st.session_state.pop(state.GROUP_TOKEN, None)
        close_group()
        st.query_params.clear()
    if ended_presenter:
        end_presenter()
    if ended_analysis or ended_group or ended_presenter:
        st.session_state[state.FLASH] = ENDED
        st.toast(ENDED, icon=":material/logout:")


def run_view() -> tuple[AnalysisInfo | None, groups.GroupInfo | None]:
    """What app.py read at the start of this run (read afresh if a page runs without it)."""
    return st.session_state.get(state.RUN_VIEW) or load_run_view()


def current_analysis() -> AnalysisInfo | None:
    """The open analysis, or None (also when it was deleted meanwhile)."""
    analysis_id = st.session_state.get(state.ANALYSIS_ID)
    if analysis_id is None:
        return None
    try:
        with db_session() as session:
            return analyses.analysis_info(session, analysis_id, st.session_state.get(state.RATER_ID))
    except analyses.AnalysisError:
        close_analysis()
        return None


_PAGE_PATHS = ("durchfuehrung", "vorbereitung", "ergebnisse")


def resume_link(code: str) -> str:
    """The link that reopens an analysis with its code; app.py then opens the walkthrough.

    It targets the app's root: Streamlit shows a spurious "Page not found" dialog when the
    first session of a fresh server starts on a non-default page (streamlit/streamlit#9992).
    """
    base = (settings().base_url or st.context.url or "").rstrip("/")
    for page_path in _PAGE_PATHS:
        base = base.removesuffix("/" + page_path)
    return f"{base}/?{state.URL_CODE}={code}"


def landing_page() -> str:
    """Where a resumed analysis opens: the results once submitted or nothing is open, else the walkthrough."""
    info = current_analysis()
    if info is None:
        return "pages/assess.py"
    if info.submitted:
        return "pages/results.py"
    with db_session() as session:
        given = answers.answers_of(session, info.analysis_id, info.rater_id)
    return (
        "pages/results.py"
        if first_open_step(questionnaire(info.edition), given) is None
        else "pages/assess.py"
    )
