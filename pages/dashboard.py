"""Group dashboard: participation, releasing the group picture per round, group radar, agenda, part 3."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.domain.workshop import agenda
from mintqo.figures import group_charts
from mintqo.services import groups
from mintqo.services.dashboard_view import dashboard_view
from mintqo.ui import a11y, bootstrap, first_screen, group_widgets, page_end, release_widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()
FIRST_SCREEN = "dashboard.first_screen"
RADAR = "dashboard-radar"  # the group radar's container: the first screen ends below it

group = group_widgets.require_group()
q = questionnaire(group.edition)
with db_session() as db:  # the page's one read; widgets below only draw it
    view = dashboard_view(db, q, group, st.session_state.get("dashboard.round"))
rounds = list(view.rounds)

st.title(md(group.name))
dates = " · ".join(
    f"{label}: {d:%d.%m.%Y}"
    for label, d in (("Teil 1", group.part1), ("Teil 2", group.part2), ("Teil 3", group.part3))
    if d
)
st.markdown(
    f"Region **{md(group.region)}** · Anonymitätsschwelle **k = {group.k}**"
    + (f" · {dates}" if dates else "")
)
group_widgets.join_code_box(group)

round_no = view.round
if len(rounds) > 1:
    st.segmented_control(
        "Runde",
        rounds,
        default=rounds[-1],
        format_func=lambda r: f"Runde {r}",
        key="dashboard.round",
        required=True,
    )
in_round, latest, comparison = list(view.people), view.latest, view.comparison

m1, m2, m3 = st.columns(3)
m1.metric(f"Projekte in Runde {round_no}", len(in_round))
m2.metric("Selbstanalysen abgeschlossen", sum(p.submitted for p in in_round))
m3.metric("Im freigegebenen Gruppenbild", latest.n_members if latest else 0)
# Near the top: in the workshop the facilitator comes here to present, not to scroll.
if comparison.picture is not None and st.button(
    "Präsentation starten", type="primary", icon=":material/slideshow:", key="dashboard.present"
):
    with db_session() as db:
        groups.set_presentation(db, group.id, presenting=True, slide=0)
    st.switch_page("pages/presentation.py")

st.subheader("Teilnahme")
group_widgets.participation_table(in_round)
release_widgets.release_box(group, q, round_no, view.decision, latest)
release_widgets.release_log(view.release_log, key="dashboard")

st.subheader(f"Gruppenbild · Runde {round_no}" if len(rounds) > 1 else "Gruppenbild")
if comparison.picture is None:
    st.info(comparison.message or "", icon=":material/visibility_off:")
    page_end.stop()
pic = comparison.picture
st.caption(f"{md(comparison.label)} · n = {pic.n_members} Analysen · k = {pic.k}")
radar_tab, heat_tab = st.tabs(["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"])
with radar_tab, st.container(key=RADAR):
    a11y.chart(
        group_charts.group_radar(q, pic),
        label="Gruppe: Median und mittlere 50 % je Unterkriterium",
        tables=not first_screen.is_first(FIRST_SCREEN),
    )
# The first run in a browser session ends here; its tables, the heatmap and all below come once the
# radar is drawn.
first_screen.end_first_screen(FIRST_SCREEN, RADAR, "dashboard.rest")
with heat_tab:
    a11y.chart(
        group_charts.heatmap_figure(q, comparison.hists, pic),
        label="Anteil der Analysen je Aussage und Antwort in Prozent",
        width="stretch",
        config={"displayModeBar": False},
    )

group_widgets.group_downloads(q, comparison, round_no)

st.subheader("Diskussionsagenda")
group_widgets.agenda_lists(agenda(q, pic), key="dashboard.agenda")
group_widgets.part3(q, round_no, pic, view.before)
