"""Logging this browser tab in: access codes of analyses, URL tokens, resume links, the landing page."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.domain.progress import first_open_step
from mintqo.domain.throttle import Attempts, wait_message
from mintqo.services import analyses, answers, groups, login_throttle, logins, team
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import state
from mintqo.ui.logout import close_analysis, close_group
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


def throttled_lookup(
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


UNKNOWN_CODE = (
    "Dieser Zugangscode ist uns nicht bekannt. Bitte prüfen Sie die Schreibweise "
    "(16 Zeichen, z. B. K7QM-3XHD-PW9A-TRC2)."
)


def _wrong_field(raw_code: str) -> str:
    """A facilitator's or a group's code typed in as an access code: say where it belongs."""
    with db_session() as session:
        if groups.facilitator_login(session, raw_code) is not None:
            return (
                "Das ist ein Moderationscode. Damit melden Sie sich auf der Seite „Moderation“ an "
                "(im Menü links); hier gehört der Zugangscode einer Selbstanalyse hin."
            )
        if groups.is_join_code(session, raw_code):
            return (
                "Das ist ein Gruppen-Code zum Beitreten einer Workshopgruppe. Tragen Sie ihn unter "
                "„Neue Selbstanalyse starten“ ein, oder – wenn Sie schon eine Selbstanalyse haben – "
                "nach dem Fortsetzen auf der Seite „Ergebnisse“."
            )
    return UNKNOWN_CODE


def try_code(raw_code: str, name: str | None = None) -> str | None:
    """Open the analysis for a code (as the named team member); returns a German error, or None."""
    analysis_id, error = throttled_lookup(
        login_throttle.PROJECT,
        raw_code,
        lambda session: logins.resume_with_code(session, raw_code),
        UNKNOWN_CODE,
    )
    if analysis_id is None:
        return _wrong_field(raw_code) if error == UNKNOWN_CODE else error
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


def current_analysis(session: Session | None = None) -> AnalysisInfo | None:
    """The open analysis, or None (also when it was deleted meanwhile); read in SESSION if given."""
    analysis_id = st.session_state.get(state.ANALYSIS_ID)
    if analysis_id is None:
        return None
    try:
        with db_session() if session is None else nullcontext(session) as s:
            return analyses.analysis_info(s, analysis_id, st.session_state.get(state.RATER_ID))
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
