"""Rounds on the results page: the earlier round, the change table with check-ins, the next round."""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.domain.rounds import RoundChange, compare
from mintqo.domain.scoring import format_score
from mintqo.services import rounds, team
from mintqo.services.analyses import AnalysisError
from mintqo.services.results_view import ResultsView
from mintqo.ui import login
from mintqo.ui.resources import db_session, questionnaire


def change_table(view: ResultsView, changes: list[RoundChange], prev_round: int) -> None:
    """Before / after per sub-criterion, with the earlier round's measures as a check-in."""
    info = view.info
    by_sub: dict[str, list[str]] = defaultdict(list)
    for m in view.measures:
        if m.round < info.round:
            by_sub[m.subcriterion_id].append(f"{md(m.what)} ({m.status})")
    st.subheader(f"Was hat sich verändert? Runde {prev_round} → Runde {info.round}")
    st.table(
        [
            {
                "Unterkriterium": c.label,
                f"Runde {prev_round}": format_score(c.before)
                if c.comparable or c.before is not None
                else "–",
                f"Runde {info.round}": format_score(c.after) if c.comparable or c.after is not None else "–",
                "Veränderung": c.text,
                "Maßnahmen der vorigen Runde": "; ".join(by_sub.get(c.subcriterion_id, [])) or "–",
            }
            for c in changes
        ],
        hide_index=True,
    )
    st.caption(
        "Unterkriterien, die es nur in einer der beiden Fragebogen-Ausgaben gibt, stehen als "
        "„nicht in beiden Runden“ da – nie als Absturz auf null."
    )


def show_changes(view: ResultsView) -> None:
    """The change table, when there is an earlier round."""
    if view.previous is not None:
        change_table(view, compare(view.previous.results, view.results), view.previous.round)


def next_round_box(view: ResultsView) -> None:
    """Start the next round of this project (for workshop part 3 or a year later)."""
    info, newest = view.info, view.newest_round
    if newest > info.round:  # an older round, e.g. a tab left open while a colleague moved on
        st.info(
            f"Zu diesem Projekt gibt es bereits Runde {newest}. Melden Sie sich ab und öffnen Sie das "
            "Projekt erneut mit Ihrem Zugangscode, um dort weiterzuarbeiten.",
            icon=":material/update:",
        )
        return
    with st.expander(f"Runde {info.round + 1} beginnen", icon=":material/update:"):
        st.markdown(
            "Nach Ihren Veränderungen analysieren Sie das Projekt erneut. Die Ergebnisse dieser Runde "
            "bleiben erhalten; die neue Runde zeigt Vorher und Nachher."
        )
        prefill = st.checkbox(
            f"Antworten aus Runde {info.round} übernehmen und überarbeiten", value=True, key="results.prefill"
        )
        if st.button(f"Runde {info.round + 1} starten", key="results.next_round", type="primary"):
            try:
                with db_session() as db:
                    new_id = rounds.start_next_round(
                        db, questionnaire(), questionnaire(info.edition), info.project_id, prefill=prefill
                    )
                    rater_id = team.member(db, new_id, info.rater_name)
            except AnalysisError as exc:
                st.error(str(exc))
                return
            login.open_analysis(new_id, rater_id)
            st.switch_page("pages/assess.py")
