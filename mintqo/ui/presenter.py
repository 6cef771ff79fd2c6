"""The presentation's own login: a presenter token in the projected address bar, never the facilitator's."""

from __future__ import annotations

import streamlit as st

from mintqo.services import groups, logins
from mintqo.ui import login_check, logout, state
from mintqo.ui.resources import db_session


def sync_url(url_path: str) -> None:
    """Keep the login in the address bar for reloads, except on the projected presentation.

    There the facilitator's token is removed and a presenter token, which opens only this
    group's presentation and expires within hours, stands in (app.py, after navigation).
    """
    params = st.query_params
    if url_path == "praesentation" and _presenter_token():
        if state.URL_TOKEN in params:
            del params[state.URL_TOKEN]
        if params.get(state.URL_PRESENTER) != st.session_state[state.PRESENTER_TOKEN]:
            params[state.URL_PRESENTER] = st.session_state[state.PRESENTER_TOKEN]
        return
    if state.URL_PRESENTER in params:
        del params[state.URL_PRESENTER]
    token = st.session_state.get(state.TOKEN) or st.session_state.get(state.GROUP_TOKEN)
    if token and params.get(state.URL_TOKEN) != token:
        params[state.URL_TOKEN] = token


def _presenter_token() -> str | None:
    """This tab's presenter token, made on first use when a facilitator is logged in here."""
    token = st.session_state.get(state.PRESENTER_TOKEN)
    group_id = st.session_state.get(state.GROUP_ID)
    if token is None and group_id is not None:
        with db_session() as session:
            token = logins.open_presenter_session(session, group_id)
        st.session_state[state.PRESENTER_TOKEN] = token
    return token


def presentation_group() -> groups.GroupInfo | None:
    """The group whose presentation this tab may show: the facilitator's, or a presenter token's."""
    group = login_check.run_view()[1]
    group_id = st.session_state.get(state.PRESENTER_GROUP)
    if group is not None or group_id is None:
        return group
    try:
        with db_session() as session:
            return groups.group_info(session, group_id)
    except groups.GroupError:
        logout.end_presenter()
        return None
