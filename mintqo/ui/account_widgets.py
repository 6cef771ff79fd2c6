"""Replace a project's or facilitator's code and log out every session ("Alle Sitzungen abmelden")."""

from __future__ import annotations

import streamlit as st

from mintqo.services import groups, logins
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import logout, state
from mintqo.ui.resources import db_session

_WHAT = {
    "project": ("Zugangscode", "Teammitglieder melden sich danach mit dem neuen Code an."),
    "group": ("Moderationscode", "Der Gruppen-Code für die Initiativen bleibt, wie er ist."),
}


def _pending(kind: str) -> bool:
    shown = st.session_state.get(state.NEW_ACCOUNT_CODE)
    return isinstance(shown, tuple) and bool(shown) and shown[0] == kind


def _new_code_box(kind: str, owner: int, key: str) -> bool:
    """Show a just-replaced code once, until its holder confirms it is noted; True if shown."""
    shown = st.session_state.get(state.NEW_ACCOUNT_CODE)
    if not shown or shown[:2] != (kind, owner):
        return False
    name, hint = _WHAT[kind]
    with st.container(border=True):
        st.markdown(f"**Ihr neuer {name}:**")
        st.code(shown[2], language=None)
        st.warning(
            f"Bitte notieren Sie den neuen {name} jetzt; er wird nur dieses eine Mal angezeigt. "
            f"Der alte Code funktioniert nicht mehr, alle anderen Anmeldungen sind beendet. {hint}",
            icon=":material/key:",
        )
        if st.button("Code notiert", key=f"{key}.noted"):
            del st.session_state[state.NEW_ACCOUNT_CODE]
            st.rerun()
    return True


def _logged_out_everywhere() -> None:
    st.session_state[state.NOTICE] = "Alle Sitzungen sind abgemeldet – auch diese. Der Code gilt weiter."
    st.switch_page("pages/start.py")


def project_account(info: AnalysisInfo) -> None:
    """For the holders of a project's access code: a new code, or log out every session."""
    with st.expander("Zugangscode und Anmeldungen", icon=":material/key:", expanded=_pending("project")):
        if _new_code_box("project", info.project_id, "account.project"):
            return
        st.markdown(
            "Ist der Zugangscode in falsche Hände geraten? Erzeugen Sie einen neuen: Der alte Code "
            "funktioniert dann nicht mehr, und alle anderen angemeldeten Geräte werden abgemeldet."
        )
        new, everywhere = st.columns(2)
        if new.button("Neuen Zugangscode erzeugen", key="account.project.new_code"):
            with db_session() as db:
                code = logins.new_project_code(db, info.project_id, st.session_state.get(state.TOKEN))
            st.session_state[state.NEW_ACCOUNT_CODE] = ("project", info.project_id, code)
            st.rerun()
        if everywhere.button("Alle Sitzungen abmelden", key="account.project.logout_all"):
            with db_session() as db:
                logins.logout_project(db, info.project_id)
            logout.close_analysis()
            _logged_out_everywhere()


def group_account(group: groups.GroupInfo) -> None:
    """For the facilitator: a new facilitator code, or log out every facilitator session."""
    with st.expander("Moderationscode und Anmeldungen", icon=":material/key:", expanded=_pending("group")):
        if _new_code_box("group", group.id, "account.group"):
            return
        st.markdown(
            "Ist der Moderationscode in falsche Hände geraten? Erzeugen Sie einen neuen: Der alte "
            "Code funktioniert dann nicht mehr, und alle anderen Anmeldungen der Moderation (auch "
            "eine laufende Präsentation auf einem anderen Gerät) werden beendet."
        )
        new, everywhere = st.columns(2)
        if new.button("Neuen Moderationscode erzeugen", key="account.group.new_code"):
            with db_session() as db:
                code = groups.new_facilitator_code(db, group.id, st.session_state.get(state.GROUP_TOKEN))
            st.session_state.pop(state.PRESENTER_TOKEN, None)  # ended with the others
            st.session_state[state.NEW_ACCOUNT_CODE] = ("group", group.id, code)
            st.rerun()
        if everywhere.button("Alle Sitzungen abmelden", key="account.group.logout_all"):
            with db_session() as db:
                logins.logout_group(db, group.id)
            logout.close_group()
            _logged_out_everywhere()
