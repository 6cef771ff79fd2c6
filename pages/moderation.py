"""Moderation: create a workshop group or open one with the facilitator code."""

import streamlit as st

from mintqo.domain.anonymity import DEFAULT_K, MIN_K
from mintqo.domain.plaintext import md
from mintqo.domain.workshop import MAX_K, validate_group
from mintqo.services import groups
from mintqo.ui import account_widgets, bootstrap, code_widgets, group_login, state
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

st.title("Moderation von Workshopgruppen")
st.markdown(
    "Für Netzwerk-Koordinatorinnen und -Koordinatoren: Legen Sie eine Workshopgruppe an, geben Sie "
    "den Gruppen-Code an die Initiativen weiter und zeigen Sie in Teil 2 das anonymisierte Gruppenbild."
)

code_widgets.shown_once(
    state.NEW_GROUP,
    "Ihre beiden Codes",
    code_widgets.group_codes,
    "Bitte notieren Sie beide Codes jetzt. Sie werden nur dieses eine Mal angezeigt; "
    "gespeichert wird nur eine nicht umkehrbare Prüfsumme.",
    "Codes notiert – zum Dashboard",
    "moderation.continue",
    "pages/dashboard.py",
)

group = group_login.current_group()
if group is not None:
    code_widgets.open_now(
        f"Sie moderieren gerade **{md(group.name)}** ({md(group.region)}).",
        "pages/dashboard.py",
        "Zum Gruppen-Dashboard",
    )
    account_widgets.group_account(group)

login_tab, new_tab = st.tabs(["Mit Moderationscode anmelden", "Neue Workshopgruppe anlegen"])

with login_tab, st.form("moderation.login"):
    code = st.text_input(
        "Moderationscode", placeholder="XXXX-XXXX-XXXX-XXXX", max_chars=40, key="moderation.code"
    )
    login = st.form_submit_button("Anmelden", type="primary")
if login:
    error = group_login.try_facilitator_code(code or "")
    if error:
        with login_tab:
            st.error(error)
    else:
        st.switch_page("pages/dashboard.py")

with new_tab, st.form("moderation.new"):
    name = st.text_input("Name der Workshopgruppe *", key="moderation.name")
    region = st.text_input(
        "Region *",
        key="moderation.region",
        help="Gruppen mit derselben Region bilden zusammen den Regionalvergleich.",
    )
    c1, c2, c3 = st.columns(3)
    part1 = c1.date_input("Teil 1 (Einführung)", value=None, format="DD.MM.YYYY", key="moderation.part1")
    part2 = c2.date_input(
        "Teil 2 (Gruppenauswertung)", value=None, format="DD.MM.YYYY", key="moderation.part2"
    )
    part3 = c3.date_input("Teil 3 (Austausch)", value=None, format="DD.MM.YYYY", key="moderation.part3")
    k = st.number_input(
        "Anonymitätsschwelle k",
        min_value=MIN_K,
        max_value=MAX_K,
        value=DEFAULT_K,
        step=1,
        key="moderation.k",
        help=(
            f"Jeder Gruppenwert braucht mindestens 2k − 1 Bewertungen (bei k = {MIN_K}: {2 * MIN_K - 1}), "
            "damit auch Absprachen von k − 1 Teilnehmenden niemanden einzeln sichtbar machen."
        ),
    )
    st.caption("Der Gruppen-Code gilt bis einschließlich Teil 2; ohne Datum unbegrenzt.")
    create = st.form_submit_button("Workshopgruppe anlegen", type="primary")
if create:
    spec, errors = validate_group(name, region, part1, part2, part3, int(k) if k is not None else None)
    if spec is None:
        with new_tab:
            for message in errors.values():
                st.error(message)
    else:
        with db_session() as db:
            created = groups.create_group(db, questionnaire(), spec)
        group_login.open_group(created.group_id)
        st.session_state[state.NEW_GROUP] = created
        st.rerun()
