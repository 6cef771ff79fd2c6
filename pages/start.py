"""Start page: begin a new self-analysis or resume one with an access code."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.domain.profile import MINT_FIELDS, validate_profile
from mintqo.services import groups
from mintqo.ui import bootstrap, code_widgets, login, state
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

st.title("Selbstanalyse für MINT-Initiativen")
st.markdown(
    "Mit **mintqo** analysieren Sie die Qualität eines Ihrer Projekte entlang der Kriterien "
    "*Angebotsqualität*, *Ressourcenqualität* und *Ergebnisqualität*. Jede Antwort wird sofort "
    "gespeichert – Sie können jederzeit unterbrechen und später auf jedem Gerät weitermachen."
)

flash = st.session_state.pop(state.FLASH, None)
if flash:
    st.error(flash)
notice = st.session_state.pop(state.NOTICE, None)
if notice:
    st.success(md(notice), icon=":material/check_circle:")

code_widgets.shown_once(
    state.NEW_CODE,
    "Ihr Zugangscode",
    lambda new_code: code_widgets.code_box(new_code, login.resume_link(new_code)),
    "Bitte notieren Sie diesen Code jetzt, drucken Sie ihn aus oder speichern Sie den Link. "
    "Er wird nur dieses eine Mal angezeigt. Mit ihm setzen Sie die Selbstanalyse "
    "auf jedem Gerät fort – ohne ihn kommen Sie nicht mehr an Ihre Antworten.",
    "Code notiert – weiter zur Vorbereitung",
    "start.continue",
    "pages/prepare.py",
)

info = login.current_analysis()
if info is not None:
    code_widgets.open_now(
        f"Sie arbeiten gerade an **{md(info.project)}** ({md(info.initiative)}).",
        "pages/assess.py",
        "Weiter mit der Durchführung",
    )

new_tab, resume_tab = st.tabs(["Neue Selbstanalyse starten", "Mit Zugangscode fortsetzen"])

with new_tab, st.form("start.new"):
    initiative = st.text_input("Name der Initiative *", key="start.initiative")
    project = st.text_input(
        "Projekt, das Sie analysieren *",
        key="start.project",
        help="Ein wiederkehrendes Angebot Ihrer Initiative, z. B. „Robotik-AG Klasse 5–7“.",
    )
    region = st.text_input("Region (optional)", key="start.region")
    target_group = st.text_input("Zielgruppe (optional)", key="start.target_group")
    mint_field = st.selectbox(
        "MINT-Bereich (optional)",
        MINT_FIELDS,
        index=None,
        key="start.mint_field",
        placeholder="Bitte wählen",
    )
    join_code = st.text_input(
        "Gruppen-Code (optional)",
        max_chars=40,
        key="start.join_code",
        placeholder="XXXX-XXXX-XXXX-XXXX",
        help="Wenn Sie an einem Workshop teilnehmen: der Code von Ihrer Moderation. "
        "Sie können auch später noch beitreten.",
    )
    submitted = st.form_submit_button("Selbstanalyse starten", type="primary")

if submitted:
    profile, errors = validate_profile(initiative, project, region, target_group, mint_field)
    if profile is None:
        with new_tab:
            for message in errors.values():
                st.error(message)
    else:
        try:
            with db_session() as db:
                started = groups.start_in_group(db, questionnaire(), profile, join_code)
        except groups.GroupError as exc:
            with new_tab:
                st.error(str(exc))
        else:
            login.open_analysis(started.analysis_id)
            st.session_state[state.NEW_CODE] = started.code
            st.rerun()

with resume_tab, st.form("start.resume"):
    code = st.text_input("Zugangscode", placeholder="XXXX-XXXX-XXXX-XXXX", key="start.code", max_chars=40)
    name = st.text_input(
        "Ihr Name (optional, wenn mehrere im Team bewerten)",
        key="start.rater_name",
        help="Mit Ihrem Namen bewerten Sie für sich; im Team-Abgleich sehen Sie danach alle Bewertungen.",
    )
    resume = st.form_submit_button("Fortsetzen", type="primary")

if resume:
    error = login.try_code(code or "", name)
    if error:
        with resume_tab:
            st.error(error)
    else:
        st.switch_page(login.landing_page())
