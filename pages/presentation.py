"""Presentation mode for workshop part 2: one slide per criterion, large type, n and k always shown."""

import streamlit as st

from mintqo.domain.histograms import AxisStat, criterion_item, sub_item
from mintqo.domain.plaintext import html
from mintqo.domain.workshop import agenda, slides
from mintqo.figures import group_charts
from mintqo.figures.group_charts import FILL
from mintqo.services import group_comparisons, groups, releases
from mintqo.ui import bootstrap, group_widgets, login_check, logout, presentation, presenter, slide_keys
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

# The facilitator's group, or only this presentation for a tab holding a presenter token.
group = presenter.presentation_group() or group_widgets.require_group()
q = questionnaire(group.edition)
deck = slides(q)
index = min(group.slide, len(deck) - 1)
slide = deck[index]
with db_session() as db:
    shown_round = releases.presented_round(db, group.id)
    released: dict[int, int | None] = {}
    for r in releases.released_rounds(db, group.id):
        latest = releases.latest_release(db, group.id, r)
        released[r] = latest.n_members if latest else None
    comparison = group_comparisons.comparisons(db, q, group, None, shown_round)[group_comparisons.GROUP]
    if not group.presenting:  # opened from the menu: participants follow from now on
        groups.set_presentation(db, group.id, presenting=True, slide=index)

presentation.projector_style()
slide_keys.slide_keys(index, shown_round)
head, counter = st.columns([5, 1.3], vertical_alignment="bottom")
head.html(f"<h1 class='slide-title'>{html(slide.title)}</h1>")  # no anchor link on the slide
counter.html(
    f"<p class='slide-counter'>Folie {index + 1} / {len(deck)}</p>"
    "<p class='slide-hint'>Vollbild: F11 · Tasten ← →</p>"
)

pic = comparison.picture
with st.container(key="slide-body", gap="small"):
    if pic is None:
        presentation.big_message(comparison.message or "")
    elif slide.kind == "overview":
        left, numbers = st.columns([3, 1], gap="large")
        with left:
            presentation.slide_chart(
                group_charts.group_radar(q, pic, scale=1.3, height=FILL, legend=False),
                "Gruppenbild je Unterkriterium: Median und mittlere 50 %",
            )
        with numbers:
            presentation.radar_legend()
            for crit in q.criteria:
                presentation.axis_number(crit.title, pic.axis(criterion_item(crit.id)))
    elif slide.kind == "criterion":
        crit = next(c for c in q.criteria if c.id == slide.ref)
        st.markdown(f"<p class='slide-lead'>{crit.description}</p>", unsafe_allow_html=True)
        presentation.slide_chart(
            group_charts.criterion_figure(q, pic, crit.id, scale=1.3, height=FILL),
            f"{crit.id} {crit.title}: Werte der Gruppe je Unterkriterium",
        )
    elif slide.kind == "sub":
        sub = q.subcriterion(slide.ref)
        left, side = st.columns([3, 1], gap="large")
        views = pic.statements(q, sub.id, comparison.hists)
        with left:
            presentation.slide_chart(
                group_charts.statements_figure(q, views, scale=1.3, height=FILL),
                f"{sub.id} {sub.title}: Antworten der Gruppe je Aussage",
            )
        with side:
            presentation.axis_number("Median der Gruppe", pic.axis(sub_item(sub.id)))
            dk = pic.dont_know.get(sub.id, 0)
            st.markdown(f"<p class='slide-side'>„weiß nicht“: {dk}×</p>", unsafe_allow_html=True)
    else:
        presentation.agenda_slide(agenda(q, pic))

axis = pic.axis(sub_item(slide.ref)) if pic and slide.kind == "sub" else None
n_text = f"n = {axis.n} von {pic.n_members}" if isinstance(axis, AxisStat) and pic else None
footer = presentation.footer_text(group.name, comparison.label, pic, n_text)
st.markdown(f"<p class='slide-footer'>{footer}</p>", unsafe_allow_html=True)

with st.container(key="slide-nav"):
    back, forward, pick, rnd, end = st.columns([1, 1, 2.4, 1.6, 1], vertical_alignment="center")
back.button(
    "← Zurück",
    key="present.back",
    disabled=index == 0,
    on_click=presentation.go,
    args=(group.id, index - 1),
    width="stretch",
)
forward.button(
    "Weiter →",
    key="present.next",
    type="primary",
    disabled=index == len(deck) - 1,
    on_click=presentation.go,
    args=(group.id, index + 1),
    width="stretch",
)
pick.selectbox(
    "Folie wählen",
    range(len(deck)),
    index=index,
    format_func=lambda i: f"{i + 1}. {deck[i].title}",
    key=f"present.pick.{index}",
    label_visibility="collapsed",
    on_change=presentation.pick,
    args=(group.id, f"present.pick.{index}"),
)
options = sorted(released, reverse=True) or [shown_round]
rnd.selectbox(
    "Runde wählen",
    options,
    index=options.index(shown_round) if shown_round in options else 0,
    format_func=lambda r: presentation.round_label(r, released.get(r), r == options[0]),
    key=f"present.round.{shown_round}",
    label_visibility="collapsed",
    disabled=len(options) < 2,
    on_change=presentation.pick_round,
    args=(group.id, f"present.round.{shown_round}"),
)
if end.button("Beenden", key="present.end", width="stretch"):
    with db_session() as db:
        groups.set_presentation(db, group.id, presenting=False, slide=index)
    logout.end_presenter()
    # After a reload this tab held only the presenter token: the dashboard needs the code again.
    st.switch_page("pages/dashboard.py" if login_check.run_view()[1] else "pages/moderation.py")
