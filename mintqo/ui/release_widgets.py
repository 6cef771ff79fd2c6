"""Widgets around a group release: releasing a round once, the release log, the privacy page link."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from mintqo.domain.anonymity import gate
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.release_plan import ReleasePlan
from mintqo.services import groups, participation, releases
from mintqo.services.groups import GroupInfo
from mintqo.ui.resources import db_session


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


def release_log(log: Sequence[participation.LogEntry], *, key: str) -> None:
    """The group's release log: when, which round, on how many analyses that joined when."""
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
