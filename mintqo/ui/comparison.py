"""The participant's side of the group comparison: scope choice, drill-down, "Sie sind hier"."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from mintqo.domain.anonymity import CHANGE, Withheld
from mintqo.domain.histograms import AxisStat, sub_item
from mintqo.domain.plaintext import md
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import format_score
from mintqo.domain.workshop import slides
from mintqo.figures import charts, group_charts
from mintqo.services import group_comparisons, results_view
from mintqo.services.group_comparisons import Comparison
from mintqo.services.results_view import ResultsView
from mintqo.ui import a11y, state
from mintqo.ui.resources import db_session

CONFIG = {"displayModeBar": False}


SCOPE_GROUP = "results.scope_group"  # the group the scope was last chosen with (None: no group)
HERE_FROM_RUN = "results.here_from_run"  # set by a full run: "Sie sind hier" uses the page's view


def choose(comps: Mapping[str, Comparison], group_id: int | None = None) -> Comparison | None:
    """The comparison chosen in this session; defaults to the workshop group for its members,
    else to the first one that can be drawn.

    Joining a workshop group switches to the group's comparison: that is why one joins.
    """
    if not comps:
        return None
    options = list(comps)
    drawable = [s for s in options if comps[s].picture is not None]
    seen = st.session_state.get(SCOPE_GROUP, "unset")
    st.session_state[SCOPE_GROUP] = group_id
    if group_id is not None and seen not in ("unset", group_id) and group_comparisons.GROUP in comps:
        st.session_state[state.SCOPE] = group_comparisons.GROUP
    if st.session_state.get(state.SCOPE) not in options:
        # A group member sees the group first, even before it can be drawn (the box says why).
        in_group = group_id is not None and group_comparisons.GROUP in comps
        st.session_state[state.SCOPE] = group_comparisons.GROUP if in_group else (drawable or options)[0]
    chosen = comps[st.session_state[state.SCOPE]]
    if chosen.picture is None:
        st.info(f"{md(chosen.label)}: {chosen.message}", icon=":material/visibility_off:")
    return chosen


def scope_control(comps: Mapping[str, Comparison], chosen: Comparison | None) -> None:
    """The scope switch and what the band means, placed under the radar.

    It comes after the chart on purpose: the radar is what people wait for, and drawing it
    first lets the browser start on the chart before the control's own code has loaded.
    """
    if chosen is None:
        return
    st.segmented_control(
        "Vergleichen mit",
        list(comps),
        format_func=lambda s: group_comparisons.SCOPE_NAMES[s],
        key=state.SCOPE,
        required=True,
    )
    if chosen.picture is not None:
        held = chosen.picture.n_withheld
        st.caption(
            f"Grau: die mittleren 50 % ({md(chosen.label)}, n = {chosen.picture.n_members} Analysen), "
            "gestrichelt: der Median. Blau: Ihr Projekt. Einzelne Antworten anderer sind nie sichtbar."
            + (
                f" {held} Achsen ohne Band: dort gibt es zu wenige Bewertungen, um anonym zu bleiben."
                if held
                else ""
            )
        )


def short_name(chosen: Comparison | None) -> str:
    """Legend name of the comparison scope ("Workshopgruppe", "Region", "alle Gruppen")."""
    return group_comparisons.SCOPE_NAMES[chosen.scope] if chosen else ""


def with_band(rows: list[dict[str, str | int]], chosen: Comparison | None) -> list[dict[str, str | int]]:
    """The results table plus the comparison's median, middle 50 % and n (the band's twin)."""
    if chosen is None or chosen.picture is None:
        return rows
    name = short_name(chosen)
    out = []
    for row in rows:
        axis = chosen.picture.axes.get(sub_item(str(row["Id"])))
        extra: dict[str, str | int]
        if isinstance(axis, AxisStat) and axis.median is not None:
            extra = {
                f"{name}: Median": format_score(axis.median),
                f"{name}: mittlere 50 %": f"{format_score(axis.q1)}–{format_score(axis.q3)}",
                f"{name}: n": axis.n,
            }
        else:
            why = "zurückgehalten" if isinstance(axis, Withheld) and axis.reason == CHANGE else "zu wenige"
            extra = {f"{name}: Median": why, f"{name}: mittlere 50 %": "–", f"{name}: n": "–"}
        out.append({**row, **extra})
    return out


def drilldown(q: Questionnaire, chosen: Comparison | None, answers: Mapping[str, str]) -> None:
    """Per-statement distribution of the chosen comparison for one sub-criterion."""
    if chosen is None or chosen.picture is None:
        return
    st.subheader("Aussagen im Vergleich")
    # Nothing is drawn until a sub-criterion is chosen: keeps the first load light.
    sub_id = st.selectbox(
        "Wie hat die Gruppe die einzelnen Aussagen bewertet?",
        [s.id for s in q.subcriteria],
        format_func=lambda i: q.subcriterion(i).label,
        index=None,
        placeholder="Unterkriterium wählen …",
        key="results.drill",
    )
    if sub_id is None:
        return
    views = chosen.picture.statements(q, sub_id, chosen.hists)
    a11y.chart(
        group_charts.statements_figure(q, views, answers),
        label="Antworten der Gruppe je Aussage (Anzahl Analysen)",
        width="stretch",
        config=CONFIG,
        key="results.drill.chart",
    )
    if any(v.withheld for v in views):
        st.caption(
            "Aussagen ohne Balken haben zu wenige Bewertungen (1 bis 4) für einen anonymen Vergleich – "
            "„nicht zutreffend“ und „weiß nicht“ zählen dafür nicht mit."
        )


def wall_line(round_no: int, pic_n: int | None, own_round: int) -> str:
    """What the box says about the picture it shows: the wall's round and n, and whose round it is."""
    n = f" · n = {pic_n} abgeschlossene Analysen" if pic_n is not None else ""
    if round_no == own_round:
        return f"Wie an der Wand: Runde {round_no}{n}. Nur Sie sehen hier Ihre eigene Position."
    return (
        f"An der Wand: Runde {round_no}{n}. Ihre Analyse gehört zu Runde {own_round} – "
        "deshalb ist Ihre Position in diesem Bild nicht eingezeichnet."
    )


def you_are_here(view: ResultsView, q: Questionnaire) -> None:
    """The "Sie sind hier" box of a group member: drawn from the page's view on a full run, then
    polled every few seconds on its own (a fragment), so the page reads its data only once."""
    if view.group is not None:
        st.session_state[HERE_FROM_RUN] = True
        _you_are_here(view, q, view.group.id)


@st.fragment(run_every=4)
def _you_are_here(view: ResultsView, q: Questionnaire, group_id: int) -> None:
    """While the facilitator presents, show the same slide privately with the own position.

    The box shows the wall's picture (the same round and n). The own position is drawn only when
    the wall shows the participant's own round; otherwise the box says so plainly.
    """
    if st.session_state.pop(HERE_FROM_RUN, False):
        shown = view.wall
    else:
        with db_session() as db:
            shown = results_view.wall(db, q, group_id)
    if shown is None:
        return
    results, answers, round_no = view.results, view.answers, view.info.round
    group, wall_round = shown.group, shown.round
    comparison = shown.comparisons[group_comparisons.GROUP]
    deck = slides(q)
    slide = deck[min(group.slide, len(deck) - 1)]
    pic = comparison.picture
    own = wall_round == round_no
    with st.container(border=True, key="results-you-are-here"):
        st.markdown(f"### :material/co_present: Sie sind hier · {slide.title}")
        line = wall_line(wall_round, pic.n_members if pic else None, round_no)
        if own:
            st.markdown(f"Die Moderation präsentiert gerade das Gruppenbild. **{line}**")
        else:
            st.warning(line, icon=":material/info:")
        mine, my_answers = (results, answers) if own else (None, None)
        if pic is None:
            st.info(comparison.message or "")
        elif slide.kind == "criterion":
            fig = group_charts.criterion_figure(q, pic, slide.ref, mine)
            a11y.chart(
                fig, label="Gruppe und Ihr Wert je Unterkriterium", config=CONFIG, key="results.here.crit"
            )
        elif slide.kind == "sub":
            fig = group_charts.criterion_figure(q, pic, q.subcriterion(slide.ref).criterion_id, mine)
            a11y.chart(
                fig, label="Gruppe und Ihr Wert je Unterkriterium", config=CONFIG, key="results.here.crit"
            )
            views = pic.statements(q, slide.ref, comparison.hists)
            fig = group_charts.statements_figure(q, views, my_answers)
            a11y.chart(
                fig, label="Antworten der Gruppe je Aussage", config=CONFIG, key="results.here.statements"
            )
        elif own:
            fig = charts.radar_figure(results, pic, band_name="Gruppe", height=520)
            a11y.chart(fig, label="Ihr Profil mit dem Gruppenbild", config=CONFIG, key="results.here.radar")
        else:
            fig = group_charts.group_radar(q, pic, height=520)
            a11y.chart(fig, label="Gruppenbild je Unterkriterium", config=CONFIG, key="results.here.radar")
