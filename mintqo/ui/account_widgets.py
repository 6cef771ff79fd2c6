"""Replace a project's or facilitator's code and log out every session ("Alle Sitzungen abmelden")."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.services import groups, logins
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import logout, state
from mintqo.ui.resources import db_session

# kind: (name of the code, what else holds after a replacement, what a replacement ends)
_WHAT = {
    "project": (
        "Zugangscode",
        "Teammitglieder melden sich danach mit dem neuen Code an.",
        "alle anderen angemeldeten Geräte werden abgemeldet.",
    ),
    "group": (
        "Moderationscode",
        "Der Gruppen-Code für die Initiativen bleibt, wie er ist.",
        "alle anderen Anmeldungen der Moderation (auch eine laufende Präsentation auf einem anderen "
        "Gerät) werden beendet.",
    ),
}


def _pending(kind: str) -> bool:
    shown = st.session_state.get(state.NEW_ACCOUNT_CODE)
    return isinstance(shown, tuple) and bool(shown) and shown[0] == kind


def _new_code_box(kind: str, owner: int, key: str) -> bool:
    """Show a just-replaced code once, until its holder confirms it is noted; True if shown."""
    shown = st.session_state.get(state.NEW_ACCOUNT_CODE)
    if not shown or shown[:2] != (kind, owner):
        return False
    name, hint, _ = _WHAT[kind]
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


def _account_box(
    kind: str,
    owner: int,
    new_code: Callable[[Session], str],
    log_out_all: Callable[[Session], object],
    close: Callable[[], None],
) -> None:
    """One code holder's box: a just-replaced code, or the buttons to replace it and to log out everywhere."""
    name, _, ended = _WHAT[kind]
    with st.expander(f"{name} und Anmeldungen", icon=":material/key:", expanded=_pending(kind)):
        if _new_code_box(kind, owner, f"account.{kind}"):
            return
        st.markdown(
            f"Ist der {name} in falsche Hände geraten? Erzeugen Sie einen neuen: Der alte Code "
            f"funktioniert dann nicht mehr, und {ended}"
        )
        new, everywhere = st.columns(2)
        if new.button(f"Neuen {name} erzeugen", key=f"account.{kind}.new_code"):
            with db_session() as db:
                code = new_code(db)
            st.session_state[state.NEW_ACCOUNT_CODE] = (kind, owner, code)
            st.rerun()
        if everywhere.button("Alle Sitzungen abmelden", key=f"account.{kind}.logout_all"):
            with db_session() as db:
                log_out_all(db)
            close()
            _logged_out_everywhere()


def project_account(info: AnalysisInfo) -> None:
    """For the holders of a project's access code: a new code, or log out every session."""
    _account_box(
        "project",
        info.project_id,
        lambda db: logins.new_project_code(db, info.project_id, st.session_state.get(state.TOKEN)),
        lambda db: logins.logout_project(db, info.project_id),
        logout.close_analysis,
    )


def group_account(group: groups.GroupInfo) -> None:
    """For the facilitator: a new facilitator code, or log out every facilitator session."""

    def new_code(db: Session) -> str:
        code = groups.new_facilitator_code(db, group.id, st.session_state.get(state.GROUP_TOKEN))
        st.session_state.pop(state.PRESENTER_TOKEN, None)  # ended with the others
        return code

    _account_box(
        "group", group.id, new_code, lambda db: logins.logout_group(db, group.id), logout.close_group
    )
