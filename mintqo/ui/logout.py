"""Logging this browser tab out: of the analysis, of the facilitator's group, of a presentation."""

from __future__ import annotations

import streamlit as st

from mintqo.services import groups, logins
from mintqo.ui import state
from mintqo.ui.resources import db_session


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


def end_presenter() -> None:
    """Forget this tab's presenter token (the presentation ended)."""
    token = st.session_state.pop(state.PRESENTER_TOKEN, None)
    st.session_state.pop(state.PRESENTER_GROUP, None)
    if token:
        with db_session() as session:
            logins.close_presenter_session(session, token)
    if state.URL_PRESENTER in st.query_params:
        del st.query_params[state.URL_PRESENTER]


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
