"""Code-attempt throttle, start-profile validation and walkthrough progress."""

from __future__ import annotations

import itertools

import pytest

from mintqo.domain.profile import MINT_FIELDS, Profile, clean_text, validate_profile
from mintqo.domain.progress import Progress, StepState, first_open_step, progress, step_state
from mintqo.domain.throttle import MAX_WAIT_SECONDS, Attempts, wait_after
from mintqo.questionnaire_files import load_file

# --- throttle ---------------------------------------------------------------------------------


def _fail(times: int, now: float = 1000.0) -> Attempts:
    attempts = Attempts()
    for _ in range(times):
        attempts = attempts.failed(now)
    return attempts


def test_first_two_failures_do_not_make_the_user_wait():
    assert Attempts().remaining_wait(0.0) == 0.0
    assert _fail(1).remaining_wait(1000.0) == 0.0
    assert _fail(2).remaining_wait(1000.0) == 0.0


def test_third_failure_makes_the_user_wait():
    attempts = _fail(3)
    assert attempts.failures == 3
    assert attempts.remaining_wait(1000.0) > 0


def test_wait_grows_and_is_capped():
    waits = [wait_after(n) for n in range(1, 30)]
    assert waits[:2] == [0.0, 0.0]
    growing = waits[2:]
    capped_from = growing.index(MAX_WAIT_SECONDS)
    assert capped_from > 2
    assert all(a < b for a, b in itertools.pairwise(growing[: capped_from + 1]))
    assert all(w == MAX_WAIT_SECONDS for w in growing[capped_from:])
    assert max(waits) == MAX_WAIT_SECONDS == 300.0


def test_wait_after_each_failure_via_attempts():
    now = 50.0
    attempts = Attempts()
    previous = 0.0
    for n in range(1, 12):
        attempts = attempts.failed(now)
        wait = attempts.remaining_wait(now)
        assert wait >= previous, n
        assert wait <= MAX_WAIT_SECONDS
        previous = wait
    assert previous == MAX_WAIT_SECONDS


@pytest.mark.parametrize("failures", [100, 1024, 1100, 5000, 10**6])
def test_wait_stays_capped_for_very_many_failures(failures):
    assert wait_after(failures) == MAX_WAIT_SECONDS


def test_failed_after_very_many_failures_keeps_working():
    attempts = Attempts(failures=2000)
    assert attempts.failed(10.0).remaining_wait(10.0) == MAX_WAIT_SECONDS


def test_remaining_wait_decreases_with_time():
    attempts = _fail(5, now=100.0)
    full = attempts.remaining_wait(100.0)
    assert full == wait_after(5)
    assert attempts.remaining_wait(101.0) == pytest.approx(full - 1.0)
    assert attempts.remaining_wait(100.0 + full / 2) == pytest.approx(full / 2)
    assert attempts.remaining_wait(100.0 + full) == 0.0
    assert attempts.remaining_wait(100.0 + full + 3600) == 0.0


def test_success_resets_the_throttle():
    attempts = _fail(6).succeeded()
    assert attempts.failures == 0
    assert attempts.remaining_wait(1000.0) == 0.0
    # After a reset the next two failures are free again.
    assert attempts.failed(2000.0).failed(2000.0).remaining_wait(2000.0) == 0.0


def test_attempts_are_immutable():
    first = Attempts()
    second = first.failed(0.0)
    assert first.failures == 0
    assert second.failures == 1


# --- profile ----------------------------------------------------------------------------------


def test_valid_profile_with_only_required_fields():
    profile, errors = validate_profile("Schülerlabor Nord", "Robotik-AG")
    assert errors == {}
    assert profile == Profile("Schülerlabor Nord", "Robotik-AG", None, None, None)


def test_valid_profile_with_all_fields():
    profile, errors = validate_profile("Verein", "Makerspace", "Nord", "Jugendliche 12–16", "Technik")
    assert errors == {}
    assert profile == Profile("Verein", "Makerspace", "Nord", "Jugendliche 12–16", "Technik")


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n", "\x00\x07"])
def test_empty_optionals_become_none(blank):
    profile, errors = validate_profile("Verein", "Projekt", blank, blank, None if blank is None else "")
    assert errors == {}
    assert profile is not None
    assert (profile.region, profile.target_group, profile.mint_field) == (None, None, None)


@pytest.mark.parametrize("blank", [None, "", "    ", "\n\t ", "\x00\x1b"])
def test_required_fields_give_german_messages(blank):
    profile, errors = validate_profile(blank, blank)
    assert profile is None
    assert set(errors) == {"initiative", "project"}
    assert errors["initiative"] == "Bitte geben Sie „Name der Initiative“ an."
    assert errors["project"] == "Bitte geben Sie „Name des Projekts“ an."


def test_only_the_missing_required_field_is_reported():
    profile, errors = validate_profile("Verein", "  ")
    assert profile is None
    assert list(errors) == ["project"]


def test_whitespace_is_trimmed_and_collapsed():
    profile, errors = validate_profile("  Schüler   labor\n Nord ", "\tRobotik  AG\t", "  Region   Süd ")
    assert errors == {}
    assert profile.initiative == "Schüler labor Nord"
    assert profile.project == "Robotik AG"
    assert profile.region == "Region Süd"


def test_control_characters_are_removed():
    profile, errors = validate_profile("Ver\x00ein\x1b[31m", "Pro\u200bjekt\x7f", target_group="Kin\x08der")
    assert errors == {}
    assert profile.initiative == "Verein[31m"
    assert profile.project == "Projekt"
    assert profile.target_group == "Kinder"


def test_clean_text():
    assert clean_text(None) == ""
    assert clean_text("  a \n\n b\t c  ") == "a b c"
    assert clean_text("a\x00b") == "ab"


def test_too_short_required_value_is_rejected():
    profile, errors = validate_profile("X", "Projekt")
    assert profile is None
    assert "mindestens 2 Zeichen" in errors["initiative"]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("initiative", 120), ("project", 120), ("region", 80), ("target_group", 200)],
)
def test_too_long_value_is_rejected_naming_the_limit(field, limit):
    values = {"initiative": "Verein", "project": "Projekt", "region": None, "target_group": None}
    values[field] = "x" * (limit + 1)
    profile, errors = validate_profile(**values)
    assert profile is None
    assert list(errors) == [field]
    assert f"höchstens {limit}" in errors[field]
    assert f"{limit + 1} Zeichen" in errors[field]


@pytest.mark.parametrize(("field", "limit"), [("initiative", 120), ("region", 80)])
def test_value_at_the_limit_is_accepted(field, limit):
    values = {"initiative": "Verein", "project": "Projekt", "region": None}
    values[field] = "x" * limit
    profile, errors = validate_profile(**values)
    assert errors == {}
    assert getattr(profile, field) == "x" * limit


def test_length_is_measured_after_cleaning():
    profile, errors = validate_profile("  " + "x" * 120 + "   ", "Projekt")
    assert errors == {}
    assert profile.initiative == "x" * 120


@pytest.mark.parametrize("mint_field", MINT_FIELDS)
def test_known_mint_fields_are_accepted(mint_field):
    profile, errors = validate_profile("Verein", "Projekt", mint_field=mint_field)
    assert errors == {}
    assert profile.mint_field == mint_field


@pytest.mark.parametrize("mint_field", ["Biologie", "technik", "Kunst", "MINT"])
def test_unknown_mint_field_is_rejected(mint_field):
    profile, errors = validate_profile("Verein", "Projekt", mint_field=mint_field)
    assert profile is None
    assert errors == {"mint_field": "Bitte wählen Sie einen MINT-Bereich aus der Liste."}


def test_all_errors_are_reported_together():
    profile, errors = validate_profile("", "x" * 121, "y" * 81, None, "Kunst")
    assert profile is None
    assert set(errors) == {"initiative", "project", "region", "mint_field"}


# --- progress ---------------------------------------------------------------------------------


def test_step_state_empty_partial_complete(small_q):
    sub = small_q.subcriterion("A1")
    assert step_state(sub, {}) is StepState.EMPTY
    assert step_state(sub, {"B1.1": "4"}) is StepState.EMPTY
    assert step_state(sub, {"A1.1": "4"}) is StepState.PARTIAL
    assert step_state(sub, {"A1.1": "4", "A1.2": "1"}) is StepState.PARTIAL
    assert step_state(sub, {"A1.1": "4", "A1.2": "1", "A1.3": "2"}) is StepState.COMPLETE


def test_not_applicable_and_dont_know_count_as_answered(small_q):
    sub = small_q.subcriterion("A1")
    assert step_state(sub, {"A1.1": "na", "A1.2": "dk", "A1.3": "na"}) is StepState.COMPLETE
    assert step_state(sub, {"A1.1": "dk"}) is StepState.PARTIAL
    p = progress(small_q, {"A1.1": "na", "A1.2": "dk"})
    assert (p.answered, p.total) == (2, 10)


def test_step_state_symbols_differ():
    assert len({s.symbol for s in StepState}) == 3


def test_first_open_step_is_first_incomplete_subcriterion(small_q):
    assert first_open_step(small_q, {}) == "A1"
    done_a1 = {"A1.1": "4", "A1.2": "na", "A1.3": "dk"}
    assert first_open_step(small_q, done_a1) == "A2"
    # A partially answered earlier step comes before an untouched later one.
    assert first_open_step(small_q, {**done_a1, "A2.1": "4", "A2.2": "4", "B2.1": "1"}) == "B1"
    assert first_open_step(small_q, {"A2.1": "3", "A2.2": "3"}) == "A1"


def test_first_open_step_is_none_when_all_answered(small_q):
    answers = {st.id: "dk" for st in small_q.statements()}
    assert first_open_step(small_q, answers) is None
    answers.pop("B2.3")
    assert first_open_step(small_q, answers) == "B2"


def test_progress_fraction(small_q):
    assert progress(small_q, {}).fraction == 0.0
    assert progress(small_q, {"A1.1": "4", "B2.3": "na", "X9.9": "4"}).fraction == pytest.approx(0.2)
    full = progress(small_q, {st.id: "1" for st in small_q.statements()})
    assert full.fraction == 1.0
    assert full.complete
    assert not progress(small_q, {"A1.1": "4"}).complete


def test_progress_fraction_edge_cases():
    assert Progress(3, 4).fraction == 0.75
    assert Progress(0, 0).fraction == 1.0


def test_progress_on_default_file(default_file):
    q = load_file(default_file)
    first_sub = q.subcriteria[0]
    answers = {st.id: "3" for st in first_sub.statements}
    p = progress(q, answers)
    assert (p.answered, p.total) == (len(first_sub.statements), 60)
    assert first_open_step(q, answers) == q.subcriteria[1].id
