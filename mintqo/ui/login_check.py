"""Every script run: log out what ended elsewhere, then read the open analysis and group once."""

from __future__ import annotations

from contextlib import nullcontext

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.services import groups, logins
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import state
from mintqo.ui.group_login import current_group
from mintqo.ui.login import current_analysis
from mintqo.ui.logout import close_analysis, close_group, end_presenter
from mintqo.ui.resources import db_session


def load_run_view(session: Session | None = None) -> tuple[AnalysisInfo | None, groups.GroupInfo | None]:
    """Check the tokens, then read the open analysis and group: once per script run (app.py) or
    fragment run, in one database session (SESSION, if the caller reads more in it); pages reuse them."""
    with db_session() if session is None else nullcontext(session) as s:
        _check_tokens(s)
        view = (current_analysis(s), current_group(s))
    st.session_state[state.RUN_VIEW] = view
    return view


ENDED = (
    "Sie wurden abgemeldet: Die Anmeldung wurde an anderer Stelle beendet (z. B. „Alle Sitzungen "
    "abmelden“ oder ein neuer Code) oder ist abgelaufen. Bitte melden Sie sich erneut an."
)


def _check_tokens(session: Session) -> None:
    """Every run: a token ended elsewhere (logout, new code, expiry) logs this tab out now."""
    token: str = st.session_state.get(state.TOKEN) or ""
    group_token: str = st.session_state.get(state.GROUP_TOKEN) or ""
    presenter: str = st.session_state.get(state.PRESENTER_TOKEN) or ""
    if not (token or group_token or presenter):
        return
    ended_analysis = bool(token) and not logins.login_is_valid(session, token)
    ended_group = bool(group_token) and not logins.login_is_valid(session, group_token)
    ended_presenter = bool(presenter) and logins.presenter_group(session, presenter) is None
    renewed = logins.renew_facilitator_login(session, group_token) if group_token else None
    if renewed:  # app.py writes the new token into the address bar (presenter.sync_url)
        st.session_state[state.GROUP_TOKEN] = renewed
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
