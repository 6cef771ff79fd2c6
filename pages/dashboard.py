"""Group dashboard: participation, releasing the group picture, group radar, agenda."""

import streamlit as st

from mintqo import group_charts
from mintqo.domain.workshop import agenda
from mintqo.services import benchmarks, groups
from mintqo.ui import bootstrap, group_widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

group = group_widgets.require_group()
q = questionnaire(group.edition)
with db_session() as db:
    people = groups.participation(db, group.id, q)
    decision = groups.release_check(db, group.id, q)
    latest = groups.latest_release(db, group.id)
    comparison = benchmarks.comparisons(db, q, group, None)[benchmarks.GROUP]

st.title(group.name)
dates = " · ".join(
    f"{label}: {d:%d.%m.%Y}"
    for label, d in (("Teil 1", group.part1), ("Teil 2", group.part2), ("Teil 3", group.part3))
    if d
)
st.markdown(
    f"Region **{group.region}** · Anonymitätsschwelle **k = {group.k}**" + (f" · {dates}" if dates else "")
)

group_widgets.join_code_box(group)

started = len(people)
submitted = sum(p.submitted for p in people)
m1, m2, m3 = st.columns(3)
m1.metric("Projekte in der Gruppe", started)
m2.metric("Selbstanalysen abgeschlossen", submitted)
m3.metric("Im freigegebenen Gruppenbild", latest.n_members if latest else 0)

st.subheader("Teilnahme")
if people:
    st.dataframe(
        [
            {
                "Initiative": p.initiative,
                "Projekt": p.project,
                "Status": "abgeschlossen" if p.submitted else "in Bearbeitung",
                "Fortschritt": p.answered / p.total,
                "Abgeschlossen am": f"{p.submitted_at:%d.%m.%Y}" if p.submitted_at else "–",
                "Im Gruppenbild": "ja" if p.in_release else "–",
            }
            for p in people
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "Fortschritt": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)
        },
    )
    st.caption("Sie sehen Stand und Fortschritt – niemals die Bewertungen eines einzelnen Projekts.")
else:
    st.info("Noch ist kein Projekt beigetreten. Geben Sie den Gruppen-Code an die Initiativen weiter.")

with st.container(border=True):
    st.subheader("Gruppenbild freigeben")
    st.markdown(
        "Das Gruppenbild wird nicht live aktualisiert, sondern als Momentaufnahme freigegeben – so lässt "
        "sich aus zwei Ständen nie eine einzelne Initiative herausrechnen."
    )
    if latest:
        st.caption(
            f"Letzte Freigabe: Nr. {latest.seq} vom {latest.created_at:%d.%m.%Y, %H:%M} "
            f"mit {latest.n_members} Analysen."
        )
    if decision.allowed:
        if st.button(
            f"Gruppenbild mit {decision.n} Analysen freigeben", type="primary", key="dashboard.release"
        ):
            try:
                with db_session() as db:
                    groups.release(db, group.id, q)
            except groups.GroupError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    else:
        st.info(decision.reason, icon=":material/lock:")

st.subheader("Gruppenbild")
if comparison.picture is None:
    st.info(comparison.message or "", icon=":material/visibility_off:")
    st.stop()
pic = comparison.picture
st.caption(f"{comparison.label} · n = {pic.n_members} Analysen · k = {pic.k}")
radar_tab, heat_tab = st.tabs(["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"])
with radar_tab:
    st.plotly_chart(group_charts.group_radar(q, pic), width="stretch", config={"displayModeBar": False})
with heat_tab:
    st.plotly_chart(
        group_charts.heatmap_figure(q, comparison.hists, pic),
        width="stretch",
        config={"displayModeBar": False},
    )

st.subheader("Diskussionsagenda")
group_widgets.agenda_lists(agenda(q, pic), key="dashboard.agenda")

st.divider()
if st.button("Präsentation starten", type="primary", icon=":material/slideshow:", key="dashboard.present"):
    with db_session() as db:
        groups.set_presentation(db, group.id, presenting=True, slide=0)
    st.switch_page("pages/presentation.py")
