"""Group comparisons a role may see: group release, region and instance, all through anonymity."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from mintqo.domain import anonymity
from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import region_key
from mintqo.services import participation, releases, scopes
from mintqo.services.groups import GroupInfo

GROUP, REGION, INSTANCE = "group", "region", "instance"
SCOPE_NAMES = {GROUP: "Workshopgruppe", REGION: "Region", INSTANCE: "alle Gruppen"}


@dataclass(frozen=True)
class Comparison:
    """One scope's figure for a viewer: a picture that passed the rules, or the reason why not."""

    scope: str
    label: str
    picture: GroupPicture | None
    hists: dict[str, dict[str, int]]
    message: str | None


def _group_comparison(
    session: Session, q: Questionnaire, group: GroupInfo, round_no: int
) -> tuple[Comparison, int | None]:
    latest = releases.latest_release(session, group.id, round_no)
    label = f"Workshopgruppe „{group.name}“" + (f" · Runde {round_no}" if round_no > 1 else "")
    if latest is None:
        submitted = participation.submitted_count(session, group.id, round_no)
        if releases.latest_withdrawn(session, group.id, round_no):
            msg = (
                "Das Gruppenbild wurde zurückgezogen, weil eine Initiative ihre Daten gelöscht hat. "
                "Für diese Runde gibt es kein neues: der Unterschied zum alten Bild würde die gelöschten "
                "Antworten zeigen."
            )
        elif submitted < anonymity.gate(group.k):
            msg = anonymity.too_few(submitted, group.k)
        else:
            msg = "Die Moderation hat das Gruppenbild noch nicht freigegeben."
        return Comparison(GROUP, label, None, {}, msg), None
    hists = releases.release_histograms(session, latest.id)
    label += f" · Freigabe vom {latest.created_at:%d.%m.%Y}"
    if latest.carried:
        label += f" · {latest.carried} davon mit Stand Runde {round_no - 1}"
    withheld = releases.release_withheld(session, latest.id)
    pic = anonymity.picture(q, label, hists, latest.n_members, group.k, withheld)
    if latest.n_members < anonymity.gate(group.k):
        return Comparison(GROUP, label, None, {}, anonymity.too_few(latest.n_members, group.k)), None
    return Comparison(GROUP, label, pic, hists, None), latest.n_members


def _scope_comparison(
    session: Session, q: Questionnaire, kind: str, scope: str, label: str, nested_in: list[int], k: int
) -> tuple[Comparison, int | None]:
    fig = scopes.scope_figure(session, scope)
    if fig.n_members < anonymity.gate(k):
        return Comparison(kind, label, None, {}, anonymity.too_few(fig.n_members, k)), None
    if not all(anonymity.scope_visible(fig.n_members, n, k) for n in nested_in):
        msg = "Dieser Vergleich umfasst noch zu wenige weitere Analysen, um anonym zu sein."
        return Comparison(kind, label, None, {}, msg), None
    label = f"{label} · {fig.n_groups} {'Gruppe' if fig.n_groups == 1 else 'Gruppen'}"
    return Comparison(
        kind, label, anonymity.picture(q, label, fig.hists, fig.n_members, k), fig.hists, None
    ), (fig.n_members)


def comparisons(
    session: Session,
    q: Questionnaire,
    group: GroupInfo | None,
    region: str | None,
    round_no: int = 1,
    *,
    group_only: bool = False,
) -> dict[str, Comparison]:
    """Every comparison the viewer (a participant or the group's facilitator) may see, for a round.

    `group_only`: just the group's own release (what the dashboard shows); the wider scopes are
    not read. The group's comparison never depends on them, so it is the same either way.
    """
    out: dict[str, Comparison] = {}
    nested: list[int] = []
    k = group.k if group else anonymity.DEFAULT_K
    if group is not None:
        out[GROUP], n_group = _group_comparison(session, q, group, round_no)
        if group_only:
            return out
        nested += [n_group] if n_group else []
        region = group.region
    if region:
        scope = scopes.region_scope(region_key(region), q.edition, round_no)
        out[REGION], n_region = _scope_comparison(session, q, REGION, scope, f"Region {region}", nested, k)
        nested += [n_region] if n_region else []
    out[INSTANCE], _ = _scope_comparison(
        session, q, INSTANCE, scopes.instance_scope(q.edition, round_no), "Alle Workshopgruppen", nested, k
    )
    return out
