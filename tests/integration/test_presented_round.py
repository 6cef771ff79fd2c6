"""The round the presentation shows: the newest released by default, the facilitator's pick while
presenting, and the newest again when the next presentation starts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import GroupSpec
from mintqo.services import groups, releases
from mintqo.services.demo import create_demo, create_demo_group


def test_facilitator_picks_a_released_round_and_stopping_goes_back_to_the_newest(
    session: Session, questionnaire: Questionnaire
) -> None:
    gid = create_demo_group(session, questionnaire, create_demo(session, questionnaire)).group_id
    assert releases.released_rounds(session, gid) == [1, 2]
    assert releases.presented_round(session, gid) == 2

    groups.set_presentation(session, gid, presenting=True, slide=5)
    groups.show_round(session, gid, 1)
    info = groups.group_info(session, gid)
    assert (info.presenting, info.slide, info.shown_round) == (True, 0, 1)  # from the first slide
    assert releases.presented_round(session, gid) == 1

    groups.show_round(session, gid, 3)  # never released: the newest released round is shown
    assert releases.presented_round(session, gid) == 2

    groups.show_round(session, gid, 1)
    groups.set_presentation(session, gid, presenting=False, slide=0)
    assert groups.group_info(session, gid).shown_round is None
    assert releases.presented_round(session, gid) == 2


def test_a_group_without_releases_presents_round_one(session: Session, questionnaire: Questionnaire) -> None:
    other = groups.create_group(session, questionnaire, GroupSpec("Leer", "Nord"))
    assert releases.released_rounds(session, other.group_id) == []
    assert releases.presented_round(session, other.group_id) == 1
