"""Runner transcripts: inline scenarios in, lines, branches and outcomes out."""

from __future__ import annotations

import pytest

from simulator.engine.judgement import Reply
from simulator.engine.session import Runner, SessionOver, SessionState
from tests.engine.conftest import MINI, ScriptedJudge, parse_inline


def play(scenario, replies, seed=1):
    runner = Runner(scenario, seed=seed)
    transcript = []
    for text in replies:
        if runner.ended:
            break
        transcript.append(runner.current_line.node_id)
        runner.respond(Reply(text), ScriptedJudge())
    return runner, transcript


def test_calm_path_reaches_resolved(mini):
    runner, nodes = play(mini, ["+ I'm so sorry you've waited", "+ let me get it for you right now"])
    assert nodes == ["start", "listening"]
    assert runner.outcome == "resolved"
    assert runner.current_line.text == "Thank you."
    assert runner.current_line.is_ending


def test_calm_down_escalates_even_before_intent(mini):
    runner, _ = play(mini, ["! calm down"])
    assert runner.outcome == "escalated"
    assert runner.state.turns[0].branch_index == 0


def test_keyword_branch(mini):
    runner, _ = play(mini, ["Do you want to speak to a Manager?"])
    assert runner.outcome == "unresolved"


def test_otherwise_loops_and_agitation_moves_by_temperament(mini):
    runner, nodes = play(mini, ["ok", "ok"])
    assert nodes == ["start", "start"]
    assert not runner.ended
    assert runner.state.agitation == pytest.approx(64)


def test_agitation_condition_uses_the_level_after_the_reply(mini):
    # From 60, one calming reply (-15 scaled by resistance) leaves ~50.7: below 60 resolves.
    runner, _ = play(mini, ["+ sorry", "- whatever", "+ sorry"])
    assert runner.outcome in {"escalated", "resolved"}
    turns = runner.state.turns
    assert turns[0].agitation_after < 60
    assert turns[1].target == "furious"


def test_seed_reproduces_the_lines_and_different_seeds_vary(mini):
    lines = {Runner(mini, seed=s).current_line.text for s in range(20)}
    assert lines == set(mini.nodes["start"].say)
    a = Runner(mini, seed=5).current_line.text
    assert a == Runner(mini, seed=5).current_line.text


def test_state_round_trips_through_json_after_every_turn(mini):
    runner = Runner(mini, seed=3)
    runner.respond(Reply("+ sorry"), ScriptedJudge())
    saved = runner.state.model_dump_json()
    resumed = Runner(mini, state=SessionState.model_validate_json(saved))
    assert resumed.current_line == runner.current_line
    resumed.respond(Reply("+ here it is"), ScriptedJudge())
    assert resumed.outcome == "resolved"
    assert [t.reply for t in resumed.state.turns] == ["+ sorry", "+ here it is"]


def test_trainer_override_changes_the_branch(mini):
    runner = Runner(mini, seed=1)
    proposed = runner.judge(Reply("ok"), ScriptedJudge())
    assert proposed.intent == "neutral"
    turn = runner.apply(Reply("ok"), proposed, override="calmer")
    assert turn.target == "listening"
    assert turn.override == "calmer" and turn.judgement.intent == "neutral"


def test_rewind_tries_again_from_a_turn(mini):
    runner, _ = play(mini, ["+ sorry", "- no"])
    assert runner.outcome == "escalated"
    runner.rewind(1)
    assert not runner.ended and runner.current_line.node_id == "listening"
    runner.respond(Reply("+ here"), ScriptedJudge())
    assert runner.outcome == "resolved"


def test_no_reply_after_the_end(mini):
    runner, _ = play(mini, ["! calm down"])
    with pytest.raises(SessionOver):
        runner.respond(Reply("+ sorry"), ScriptedJudge())


def test_repeat_keeps_the_line(mini):
    runner = Runner(mini, seed=2)
    before = runner.current_line
    assert runner.repeat() == before
    assert runner.state.repeats == 1 and not runner.state.turns


def test_state_of_another_scenario_is_refused(mini):
    state = SessionState(scenario_id="other", seed=1, node_id="start", agitation=10)
    with pytest.raises(ValueError, match="other"):
        Runner(mini, state=state)


def test_a_direction_is_carried_beside_the_line_not_inside_it():
    scenario, problems = parse_inline(MINI.replace(
        "    say: That's it, I'm done here!\n",
        "    say: That's it, I'm done here!\n    direction: She walks out and slams the door.\n"))
    assert scenario is not None, problems
    runner = Runner(scenario, seed=1)
    assert runner.current_line.direction is None
    runner.respond(Reply("! calm down"), ScriptedJudge())
    line = runner.current_line
    assert line.is_ending
    assert line.text == "That's it, I'm done here!"
    assert line.direction == "She walks out and slams the door."
    assert "(" not in " ".join(scenario.lines())



def test_the_face_fits_the_line_through_a_conversation():
    """A node without a mood of its own: no laughing face mid-conversation, a calm one while cooling."""
    scenario, problems = parse_inline(MINI.replace("  agitation: 60\n", "  agitation: 25\n")
                                      .replace("    mood: angry\n", ""))
    assert scenario is not None, problems
    runner = Runner(scenario, seed=1)
    assert runner.current_line.mood == "calm"  # agitation 25: calm, and not yet calming
    runner.respond(Reply("+ I'm so sorry"), ScriptedJudge())
    assert runner.state.agitation < 15
    assert runner.current_line.mood == "calm", "pleased is for the ending, not the middle of the conversation"
    assert runner.state.turns[-1].mood == "calm"


def test_each_part_of_a_condition_says_whether_it_held_and_why(mini):
    from simulator.engine.judgement import Finding, Judgement
    from simulator.engine.model import Condition
    from simulator.engine.session import condition_reasons

    judged = Judgement(intent="deescalate", confidence=0.9, agitation_delta=-10,
                       techniques=[Finding(name="empathy", evidence="sorry")])
    when = Condition(intent=["deescalate"], techniques=["empathy", "apologise"], triggers=["calm_down"],
                     agitation_below=60, keywords=["manager"])
    assert condition_reasons(when, judged, 55.0, "I'm sorry") == [
        (True, "the reply was judged deescalate"),
        (True, "technique empathy found"),
        (False, "none of the triggers calm_down found"),
        (True, "agitation after the reply 55 is below 60"),
        (False, "the reply says none of 'manager'"),
    ]
