"""Which analysis this browser session has open: session state, URL token, resume link."""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.domain.throttle import Attempts
from mintqo.services import analyses, groups, logins, team
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import state
from mintqo.ui.resources import db_session, settings


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
    for key in (state.ANALYSIS_ID, state.RATER_ID, state.STEP, state.NEW_CODE, state.RUN_VIEW):
        st.session_state.pop(key, None)
    st.query_params.clear()


def _throttled(lookup: Callable[[Session], int | None], unknown: str) -> tuple[int | None, str | None]:
    """Look a code up unless this session must wait after wrong codes: (id, None) or (None, error)."""
    attempts: Attempts = st.session_state.get(state.ATTEMPTS, Attempts())
    wait = attempts.remaining_wait(time.monotonic())
    if wait > 0:
        return None, f"Zu viele falsche Versuche. Bitte warten Sie noch {int(wait) + 1} Sekunden."
    with db_session() as session:
        found = lookup(session)
    if found is None:
        st.session_state[state.ATTEMPTS] = attempts.failed(time.monotonic())
        return None, unknown
    st.session_state[state.ATTEMPTS] = attempts.succeeded()
    return found, None


def try_code(raw_code: str, name: str | None = None) -> str | None:
    """Open the analysis for a code (as the named team member); returns a German error, or None."""
    analysis_id, error = _throttled(
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
    """On a fresh session, reopen from the URL token or a resume link; returns an error message."""
    params = st.query_params
    if state.ANALYSIS_ID not in st.session_state and state.GROUP_ID not in st.session_state:
        token = params.get(state.URL_TOKEN)
        if token:
            with db_session() as session:
                target = logins.login_target(session, token)
                group_id = None if target else groups.resolve_group_session(session, token)
            if target is not None:
                st.session_state[state.ANALYSIS_ID], st.session_state[state.RATER_ID] = target
                st.session_state[state.TOKEN] = token
            elif group_id is not None:
                st.session_state[state.GROUP_ID] = group_id
                st.session_state[state.GROUP_TOKEN] = token
            else:
                del params[state.URL_TOKEN]
        code = params.get(state.URL_CODE)
        if code and state.ANALYSIS_ID not in st.session_state:
            del params[state.URL_CODE]
            error = try_code(code)
            if error is None:
                st.session_state[state.GOTO_WALKTHROUGH] = True
            return error
    if state.URL_CODE in params:
        del params[state.URL_CODE]
    token = st.session_state.get(state.TOKEN) or st.session_state.get(state.GROUP_TOKEN)
    if token and params.get(state.URL_TOKEN) != token:
        params[state.URL_TOKEN] = token
    return None


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
    """Log the facilitator out of this tab; a running presentation ends with it."""
    token = st.session_state.pop(state.GROUP_TOKEN, None)
    group_id = st.session_state.get(state.GROUP_ID)
    if token:
        with db_session() as session:
            logins.close_login_session(session, token)
            if group_id is not None:
                groups.set_presentation(session, group_id, presenting=False, slide=0)
        st.query_params.clear()
    st.session_state.pop(state.GROUP_ID, None)
    st.session_state.pop(state.RUN_VIEW, None)


def try_facilitator_code(raw_code: str) -> str | None:
    """Open the group for a facilitator code; returns a German error, or None on success."""
    group_id, error = _throttled(
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
    view = (current_analysis(), current_group())
    st.session_state[state.RUN_VIEW] = view
    return view


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
    """Where a resumed analysis opens: results once submitted, else the first open step."""
    info = current_analysis()
    return "pages/results.py" if info is not None and info.submitted else "pages/assess.py"
