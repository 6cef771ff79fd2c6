"""Logging this browser tab in to a workshop group's facilitator pages with the Moderationscode."""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.services import groups, login_throttle
from mintqo.ui import state
from mintqo.ui.login import throttled_lookup
from mintqo.ui.logout import close_analysis, close_group
from mintqo.ui.resources import db_session, settings


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


def try_facilitator_code(raw_code: str) -> str | None:
    """Open the group for a facilitator code; returns a German error, or None on success."""
    group_id, error = throttled_lookup(
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


def current_group(session: Session | None = None) -> groups.GroupInfo | None:
    """The facilitator's open group, or None; read in SESSION if given."""
    group_id = st.session_state.get(state.GROUP_ID)
    if group_id is None:
        return None
    try:
        with db_session() if session is None else nullcontext(session) as s:
            return groups.group_info(s, group_id)
    except groups.GroupError:
        close_group()
        return None
