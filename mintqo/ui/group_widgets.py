"""Widgets of the group half: join box, facilitator sidebar and guard, agenda, slides."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.anonymity import GroupPicture, Withheld, median_shift
from mintqo.domain.histograms import sub_item
from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.plaintext import md
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import Agenda, AgendaEntry, format_shift
from mintqo.services import exports, group_comparisons, groups, participation
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.groups import GroupInfo
from mintqo.ui import login_check, logout, release_widgets, widgets
from mintqo.ui.resources import db_session


def join_box(info: AnalysisInfo, group: GroupInfo | None, *, key: str) -> GroupInfo | None:
    """The analysis's workshop group (`group`, as read), or a small form to join one with the group code."""
    if group is not None:
        return group
    with st.expander("Gehören Sie zu einer Workshopgruppe? Hier beitreten", icon=":material/group_add:"):
        with st.form(f"{key}.join", border=False):
            code = st.text_input(
                "Gruppen-Code von Ihrer Moderation",
                placeholder="XXXX-XXXX-XXXX-XXXX",
                max_chars=40,
                key=f"{key}.join_code",
            )
            joined = st.form_submit_button("Der Gruppe beitreten")
        if joined:
            try:
                with db_session() as db:
                    group = groups.join_group(db, info.analysis_id, code or "")
            except groups.GroupError as exc:
                st.error(str(exc))
                return None
            st.success(f"Sie sind der Workshopgruppe „{md(group.name)}“ beigetreten.")
            return group
        st.caption(
            "Ihre einzelnen Antworten sieht niemand außer Ihnen. Die Gruppe sieht nur zusammengefasste "
            "Werte, und erst, wenn genug Analysen abgeschlossen sind."
        )
    return None


def sidebar_group(group: GroupInfo) -> None:
    """Which group the facilitator has open, with a log-out button."""
    with st.sidebar:
        st.caption("Moderation")
        st.markdown(f"**{md(group.name)}**  \n{md(group.region)}")
        widgets.logout_button("nav.group_logout", logout.close_group)


def require_group() -> GroupInfo:
    """The facilitator's group; otherwise a hint with a link to the moderation page, and stop."""
    return widgets.stop_unless(
        login_check.run_view()[1],
        "Diese Seite ist der Moderation vorbehalten. Bitte melden Sie sich mit Ihrem Moderationscode an.",
        "pages/moderation.py",
        "Zur Moderation",
        ":material/co_present:",
    )


def join_code_box(group: GroupInfo) -> None:
    """Hand out the join code again: codes are stored hashed, so a lost one is replaced."""
    until = f"gültig bis {group.join_until:%d.%m.%Y}" if group.join_until else "ohne Ablaufdatum"
    with st.expander(f"Gruppen-Code für die Initiativen ({until})", icon=":material/key:"):
        fresh = st.session_state.get("dashboard.fresh_join_code")
        if fresh:
            st.code(fresh, language=None)
            st.caption("Geben Sie diesen Code an die Initiativen weiter. Der vorherige Code gilt nicht mehr.")
        st.caption(
            "Der Code wird nur als Prüfsumme gespeichert und kann nicht noch einmal angezeigt werden. "
            "Wenn er verloren ist, erzeugen Sie einen neuen; bereits beigetretene Projekte bleiben dabei."
        )
        if st.button("Neuen Gruppen-Code erzeugen", key="dashboard.new_join_code"):
            with db_session() as db:
                st.session_state["dashboard.fresh_join_code"] = groups.new_join_code(db, group.id)
            st.rerun()


def participation_table(people: list[participation.Participant]) -> None:
    """Who has started and who has submitted – never progress counts or ratings."""
    if not people:
        st.info("Noch ist kein Projekt beigetreten. Geben Sie den Gruppen-Code an die Initiativen weiter.")
        return
    st.dataframe(
        [
            {
                "Initiative": p.initiative,
                "Projekt": p.project,
                "Status": "abgeschlossen"
                if p.submitted
                else ("in Bearbeitung" if p.started else "noch nicht begonnen"),
                "Abgeschlossen am": f"{p.submitted_at:%d.%m.%Y}" if p.submitted_at else "–",
                "Im Gruppenbild": "ja" if p.in_release else "–",
            }
            for p in people
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Sie sehen, wer begonnen und wer abgeschlossen hat – keine Zahl beantworteter Aussagen und niemals "
        "Bewertungen: zusammen mit den Gruppenzahlen ließe sich daraus sonst ablesen, was ein Projekt "
        "offengelassen hat."
    )
    release_widgets.privacy_link()


def part3(q: Questionnaire, round_no: int, pic: GroupPicture, before: GroupPicture | None) -> None:
    """Workshop part 3: median shift against the previous round (`before`) and measures by status."""
    if before is None and not pic.measures:
        return
    st.subheader("Teil 3: Was hat sich verändert?")
    rows = []
    for sub in q.subcriteria:
        row: dict[str, str | int] = {"Unterkriterium": sub.label}
        if round_no > 1:
            shift = median_shift(before, pic, sub_item(sub.id)) if before is not None else None
            row[f"Median-Verschiebung seit Runde {round_no - 1}"] = (
                shift.message
                if isinstance(shift, Withheld)
                else ("–" if shift is None else format_shift(shift))
            )
        for status in MEASURE_STATUSES:
            count = pic.measures.get(sub.id, {}).get(status)
            row[f"Maßnahmen {status}"] = "zurückgehalten" if count is None and pic.measures else (count or 0)
        rows.append(row)
    st.table(rows, hide_index=True)
    st.caption(
        "Alle Zahlen stammen aus freigegebenen Gruppenbildern (mindestens 2k − 1 Bewertungen) und nennen "
        "keine einzelnen Projekte. Die Verschiebung vergleicht die Gruppenmediane beider Runden – Projekte "
        "ohne neue Selbstanalyse zählen mit ihrem Stand aus der vorigen Runde. Maßnahmen zählen so, "
        "wie sie bei der Freigabe standen."
    )


def group_downloads(q: Questionnaire, comparison: group_comparisons.Comparison, round_no: int) -> None:
    """The released group picture for the facilitator's report: Excel and CSV, threshold-checked."""
    stem = f"mintqo-gruppenbild-runde{round_no}"
    widgets.download_row(
        [
            widgets.Download(
                "Gruppenbild als Excel (.xlsx)",
                lambda: exports.group_workbook(comparison, q),
                f"{stem}.xlsx",
                "dashboard.download.xlsx",
            ),
            widgets.Download(
                "Kriterien als CSV",
                lambda: exports.group_csv(comparison, q),
                f"{stem}.csv",
                "dashboard.download.csv",
            ),
        ]
    )
    st.caption(
        "Enthält nur das freigegebene Gruppenbild; zurückgehaltene Werte stehen als Hinweis darin, ohne Zahl."
    )


def _entry(entry: AgendaEntry, *, key: str) -> None:
    sub = entry.subcriterion
    with st.expander(f"**{sub.label}** · {entry.figure}", key=f"{key}.{sub.id}"):
        st.markdown(sub.explanation)
        st.markdown(f"**Praxisbeispiel:** {sub.example}")


def agenda_lists(agenda: Agenda, *, key: str) -> None:
    """The three agenda lists, each entry opening its explanation and practice example."""
    if agenda.empty:
        st.caption("Noch keine Agenda – dafür braucht es ein freigegebenes Gruppenbild.")
        return
    cols = st.columns(3, gap="medium")
    for col, title, entries, empty in (
        (cols[0], "Niedrigste Gruppenmediane", agenda.lowest, "–"),
        (cols[1], "Größte Streuung", agenda.widest, "Die Gruppe ist sich überall einig."),
        (cols[2], "Meiste „weiß nicht“", agenda.dont_know, "Keine „weiß nicht“-Antworten."),
    ):
        with col:
            st.markdown(f"**{title}**")
            for entry in entries:
                _entry(entry, key=f"{key}.{title[:4]}")
            if not entries:
                st.caption(empty)
