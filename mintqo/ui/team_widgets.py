"""The team view: members' names, their ratings side by side, divergence, and recording agreed values."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.domain.team import MAX_NAME, MAX_REASON, StatementRatings
from mintqo.services import team
from mintqo.services.analyses import DEFAULT_RATER, AnalysisError, AnalysisInfo
from mintqo.ui import errors
from mintqo.ui.resources import db_session

_BADGE = {"1": "red", "2": "orange", "3": "green", "4": "green", "na": "gray", "dk": "gray"}


def _badge(q: Questionnaire, value: str | None) -> str:
    if value is None:
        return ":gray-badge[offen]"
    return f":{_BADGE[value]}-badge[{q.option(value).short}]"


def _agree(q: Questionnaire, info: AnalysisInfo, statement_id: str) -> None:
    value = st.session_state.get(f"team.value.{statement_id}") or None  # "" withdraws the agreement
    reason = st.session_state.get(f"team.reason.{statement_id}", "")
    try:
        with db_session() as db:
            team.agree(db, q, info.analysis_id, statement_id, value, reason)
    except Exception as exc:
        st.session_state["team.error"] = f"Nicht gespeichert ({statement_id}): {errors.save_failure(exc)}"
        # Show the stored value again, so nothing unsaved looks agreed; submitting again retries.
        st.session_state.pop(f"team.value.{statement_id}", None)


def statement_row(
    q: Questionnaire, info: AnalysisInfo, raters: dict[int, str], row: StatementRatings
) -> None:
    """One statement: every member's answer, the agreed value and a form to change it."""
    st.markdown(f"**{row.statement_id}** {q.statement(row.statement_id).text}")
    answers = " · ".join(f"{md(name)}: {_badge(q, row.by_rater.get(rid))}" for rid, name in raters.items())
    # Once agreed, a divergence is settled: the row says so instead of "weicht ab".
    flag = " :red-badge[weicht ab]" if row.open else (" :green-badge[vereinbart]" if row.divergent else "")
    st.markdown(answers + flag)
    if row.agreed:
        st.markdown(f"Vereinbart: {_badge(q, row.agreed)}" + (f" – {md(row.reason)}" if row.reason else ""))
    elif row.counts:
        st.caption(f"Ohne vereinbarten Wert zählt: {q.option(row.counts).short}")
    if info.submitted:
        return
    value_key, reason_key = f"team.value.{row.statement_id}", f"team.reason.{row.statement_id}"
    if value_key not in st.session_state:  # first shown, or a failed save: the stored value
        st.session_state[value_key] = row.agreed or ""
        st.session_state[reason_key] = row.reason
    with st.form(f"team.form.{row.statement_id}", border=False):
        left, right = st.columns([1, 2])
        options = ("", *ANSWER_VALUES)
        left.selectbox(
            "Vereinbarter Wert",
            options,
            format_func=lambda v: q.option(v).label if v else "– nicht vereinbart –",
            key=f"team.value.{row.statement_id}",
        )
        right.text_input(
            f"Kurze Begründung (höchstens {MAX_REASON} Zeichen)",
            value=row.reason,
            key=f"team.reason.{row.statement_id}",
        )
        st.form_submit_button(
            "Vereinbaren",
            on_click=_agree,
            args=(q, info, row.statement_id),
            key=f"team.save.{row.statement_id}",
        )


def _rename(info: AnalysisInfo, key: str) -> None:
    raw = st.session_state.get(f"{key}.name", "")
    try:
        with db_session() as db:
            name = team.rename(db, info.analysis_id, info.rater_id, raw)
    except AnalysisError as exc:
        st.session_state[f"{key}.name_error"] = str(exc)
        return
    st.session_state[f"{key}.name_saved"] = f"Gespeichert: Sie heißen im Team jetzt „{md(name)}“."


def name_form(info: AnalysisInfo, *, key: str) -> None:
    """Your own name in the team (the first person starts as "Team"); change it at any time."""
    unnamed = info.rater_name == DEFAULT_RATER
    box = (
        st.container(border=True, key=f"{key}-name")
        if unnamed
        else st.expander(f"Ihr Name im Team: {md(info.rater_name)} – ändern", icon=":material/badge:")
    )
    with box:
        if unnamed:
            st.markdown(
                "**Wie heißen Sie?** Bisher stehen Ihre Bewertungen unter „Team“. Mit Ihrem Vornamen "
                "oder einem Kürzel sieht Ihr Team im Team-Abgleich, wer was bewertet hat."
            )
        with st.form(f"{key}.name_form", border=False):
            st.text_input(
                f"Ihr Name im Team (höchstens {MAX_NAME} Zeichen)",
                value="" if unnamed else info.rater_name,
                placeholder="z. B. Alex oder AK",
                key=f"{key}.name",
            )
            st.form_submit_button(
                "Namen speichern" if unnamed else "Umbenennen", on_click=_rename, args=(info, key)
            )
        error = st.session_state.pop(f"{key}.name_error", None)
        if error:
            st.error(error)
        saved = st.session_state.pop(f"{key}.name_saved", None)
        if saved:
            st.success(saved, icon=":material/check_circle:")
