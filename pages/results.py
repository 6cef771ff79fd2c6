"""Nachbereitung: own results – radar, main criteria, strengths, development areas, open points."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.domain.scoring import summary, table_rows
from mintqo.domain.team import RULE_TEXT
from mintqo.figures import criteria_bars
from mintqo.services import analyses
from mintqo.services.results_view import results_view
from mintqo.ui import (
    a11y,
    account_widgets,
    bootstrap,
    comparison,
    finish_widgets,
    group_widgets,
    page_end,
    release_widgets,
    results_widgets,
    round_widgets,
    widgets,
)
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
with db_session() as db:  # the page's one read; widgets below only draw it
    view = results_view(db, q, info, load_edition=questionnaire)
results = view.results

st.title("Ihre Ergebnisse")
st.markdown(f"**{md(info.project)}** · {md(info.initiative)} · Runde {info.round}")
finish_widgets.top_box(info, results)

with st.container(border=True):
    st.markdown("\n".join(f"- {line}" for line in summary(results)))
    if info.team_size > 1:
        st.caption(f"{info.team_size} Personen haben bewertet. {RULE_TEXT}")

if results.answered == 0:
    st.page_link("pages/assess.py", label="Zur Durchführung", icon=":material/edit_note:")
    account_widgets.project_account(info)
    page_end.stop()

group = group_widgets.join_box(info, view.group, key="results")
if group != view.group:  # just joined: read again for the group's comparison
    with db_session() as db:
        view = results_view(db, q, info, load_edition=questionnaire)
comparison.you_are_here(view, q)
st.subheader("Profil über alle Unterkriterien")
comps = view.comparisons
chosen = comparison.choose(comps, group.id if group else None)
band = chosen.picture if chosen else None
before = view.previous
results_widgets.radar(
    results,
    band,
    comparison.short_name(chosen),
    before.results if before else None,
    before.round if before else None,
)
results_widgets.first_screen_then_rest()
comparison.scope_control(comps, chosen)
round_widgets.show_changes(view)
unscored = results.unscored()
if unscored:
    st.caption(
        "Ohne Bewertung (nur „nicht zutreffend“, „weiß nicht“ oder offen): "
        + ", ".join(s.subcriterion.label for s in unscored)
    )

crit_col, strong_col, weak_col = st.columns(3, gap="large")
with crit_col:
    st.subheader("Hauptkriterien")
    a11y.chart(
        criteria_bars.criteria_figure(results, band, band_name=comparison.short_name(chosen)),
        label="Mittelwerte der Hauptkriterien als Balken, Werte 1 bis 4",
        width="stretch",
        config={"displayModeBar": False},
    )
with strong_col:
    results_widgets.strengths(results)
with weak_col:
    results_widgets.development(results)

comparison.drilldown(q, chosen, view.answers)
release_widgets.release_log(view.release_log, key="results")

st.subheader("Alle Werte als Tabelle")
rows = comparison.with_band(table_rows(results), chosen)
# A static table: the accessible twin of the charts, and far lighter to render than a data grid.
st.table(rows, hide_index=True)
st.caption("„bewertet“: Zahl der Aussagen mit einer Bewertung 1–4, auf denen der Wert beruht.")

results_widgets.open_points_and_notes(q, view.open_points, view.notes)
widgets.downloads(q, info, chosen)

st.divider()
if info.submitted:
    st.success(
        f"Abgeschlossen am {info.submitted_at:%d.%m.%Y}.",
        icon=":material/check_circle:",
    )
    if st.button("Wieder öffnen, um Antworten zu ändern", key="results.reopen"):
        with db_session() as db:
            analyses.reopen(db, info.analysis_id)
        st.rerun()
    round_widgets.next_round_box(view)
else:
    missing = results.total - results.answered
    if missing:
        open_text = "1 Aussage" if missing == 1 else f"{missing} Aussagen"
        st.warning(f"Noch {open_text} offen. Sie können trotzdem abschließen.")
    st.caption(finish_widgets.WHY)
    if st.button("Selbstanalyse abschließen", type="primary", key="results.submit"):
        with db_session() as db:
            analyses.submit(db, info.analysis_id)
        st.rerun()

account_widgets.project_account(info)
