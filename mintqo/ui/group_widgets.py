"""Widgets of the group half: join box, facilitator sidebar and guard, agenda, slides."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.anonymity import GroupPicture, ReleasePlan, Withheld, gate, median_shift
from mintqo.domain.benchmark import sub_item
from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import Agenda, AgendaEntry, format_shift
from mintqo.services import benchmarks, exports, groups, participation, releases
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.groups import GroupInfo
from mintqo.ui import session, widgets
from mintqo.ui.resources import db_session


def join_box(info: AnalysisInfo, *, key: str) -> GroupInfo | None:
    """The analysis's workshop group, or a small form to join one with the group code."""
    with db_session() as db:
        group = groups.group_of_analysis(db, info.analysis_id)
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
            st.success(f"Sie sind der Workshopgruppe „{group.name}“ beigetreten.")
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
        st.markdown(f"**{group.name}**  \n{group.region}")
        if st.button("Abmelden", key="nav.group_logout", icon=":material/logout:"):
            session.close_group()
            st.rerun()


def require_group() -> GroupInfo:
    """The facilitator's group; otherwise a hint with a link to the moderation page, and stop."""
    group = session.run_view()[1]
    if group is None:
        st.info(
            "Diese Seite ist der Moderation vorbehalten. Bitte melden Sie sich mit Ihrem Moderationscode an."
        )
        st.page_link("pages/moderation.py", label="Zur Moderation", icon=":material/co_present:")
        st.stop()
    return group


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
    privacy_link()


def privacy_link() -> None:
    """A link to the page that explains in plain words how group figures stay anonymous."""
    st.page_link("pages/privacy.py", label="Wie mintqo die Gruppenzahlen schützt", icon="🔒")


def release_box(
    group: GroupInfo,
    q: Questionnaire,
    round_no: int,
    decision: ReleasePlan,
    latest: releases.ReleaseSummary | None,
) -> None:
    """Release the round's group picture once, or say why not."""
    with st.container(border=True):
        st.subheader("Gruppenbild freigeben")
        st.markdown(
            f"Das Gruppenbild einer Runde wird **einmal** freigegeben und danach nie ersetzt – aus zwei "
            "Ständen ließe sich sonst eine einzelne Initiative herausrechnen. Warten Sie deshalb, bis alle "
            f"abgeschlossen haben. Jeder Wert braucht mindestens {gate(group.k)} Bewertungen "
            f"(k = {group.k}): "
            f"auch wer {group.k - 1} Antworten kennt, hat dann noch {group.k} unbekannte vor sich."
        )
        if latest:
            st.caption(
                f"Freigegeben: Nr. {latest.seq} vom {latest.created_at:%d.%m.%Y, %H:%M} "
                f"mit {latest.n_members} Analysen."
            )
        if not decision.allowed:
            st.info(decision.reason, icon=":material/lock:")
            return
        # Nothing here may depend on the live answers (e.g. how many values would be withheld):
        # sock puppets could probe it by resubmitting. Only participation, which is shown anyway.
        if decision.membership_differs:
            st.warning(
                "Gegenüber einer früheren Runde sind nicht dieselben Projekte dabei. Werte, die sich dadurch "
                "bei zu wenigen Projekten unterscheiden, bleiben verborgen – sonst ließe sich die frühere "
                "Antwort eines fehlenden Projekts herausrechnen. Am meisten hilft es, wenn alle Projekte der "
                "früheren Runde auch diese abschließen, bevor Sie freigeben.",
                icon=":material/info:",
            )
        confirm = st.checkbox(
            "Ich habe verstanden: Diese Freigabe ist endgültig. Später abgeschlossene Analysen kommen "
            "nicht mehr in das Gruppenbild dieser Runde.",
            key="dashboard.release_confirm",
        )
        if decision.left_out:
            st.caption(
                (
                    "1 neu abgeschlossene Selbstanalyse gehört zu einem Projekt"
                    if decision.left_out == 1
                    else f"{decision.left_out} neu abgeschlossene Selbstanalysen gehören zu Projekten"
                )
                + ", die im Gruppenbild der vorigen Runde nicht dabei waren. Sie kommen nicht in dieses "
                "Bild: sonst zeigte der Vergleich der Runden genau ihre Antworten."
            )
        if decision.carried:
            st.caption(
                (
                    "1 Projekt hat in dieser Runde (noch) keine neue Selbstanalyse abgeschlossen. Es zählt"
                    if decision.carried == 1
                    else f"{decision.carried} Projekte haben in dieser Runde (noch) keine neue "
                    "Selbstanalyse abgeschlossen. Sie zählen"
                )
                + " mit dem freigegebenen Stand aus der vorigen Runde – so bleiben die Projekte "
                "dieselben, und der Vergleich der Runden verrät niemanden."
            )
        if st.button(
            f"Gruppenbild mit {decision.n} Analysen freigeben",
            type="primary",
            key="dashboard.release",
            disabled=not confirm,
        ):
            try:
                with db_session() as db:
                    releases.release(db, group.id, q, round_no)
            except groups.GroupError as exc:
                st.error(str(exc))
            else:
                st.rerun()


def release_log(group_id: int, *, key: str) -> None:
    """The group's release log: when, which round, on how many analyses that joined when."""
    with db_session() as db:
        log = participation.release_log(db, group_id)
    if not log:
        return
    with st.expander("Freigabeprotokoll der Gruppe", key=f"{key}.release_log"):
        st.table(
            [
                {
                    "Nr.": e.seq,
                    "Runde": e.round,
                    "Freigegeben am": f"{e.created_at:%d.%m.%Y}",
                    "Analysen": e.n_members,
                    "Beigetreten (Daten)": ", ".join(sorted({f"{d:%d.%m.}" for d in e.joined})) or "–",
                    "Stand": f"zurückgezogen am {e.withdrawn_at:%d.%m.%Y}" if e.withdrawn_at else "gültig",
                }
                for e in log
            ],
            hide_index=True,
        )
        st.caption(
            "Jede Freigabe mit der Zahl der Analysen und den Tagen, an denen sie der Gruppe beigetreten "
            "sind. Passt die Zahl nicht zu den Initiativen, die Sie aus dem Workshop kennen, sprechen Sie "
            "die Moderation an."
        )
        privacy_link()


def part3(group: GroupInfo, q: Questionnaire, round_no: int, pic: GroupPicture) -> None:
    """Workshop part 3: median shift against the previous round and measures by status."""
    before = None
    if round_no > 1:
        with db_session() as db:
            before = benchmarks.comparisons(db, q, group, None, round_no - 1)[benchmarks.GROUP].picture
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


def group_downloads(q: Questionnaire, comparison: benchmarks.Comparison, round_no: int) -> None:
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
