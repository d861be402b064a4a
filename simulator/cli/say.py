"""`simulator say --scenario ID [--agitation N] "text" --out FILE.wav`: a line in that customer's voice.

For authors to hear a line before writing it into a scenario, and for tests. The line is rendered as
the app would (the engine chosen in Settings for that kind of customer, the speaking speed, the
agitation band, reshaping and cache) and copied to FILE; `--engine` tries another engine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import wave
from pathlib import Path

from simulator.engine.loader import ScenarioError
from simulator.scenario_folders import NotFound, find

ENGINES = ("auto", "pyttsx3", "hibari", "flite")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("say", help="render a line in a scenario customer's voice to a WAV file",
                       description="Render TEXT in the voice of a scenario's customer, as the app would "
                                   "speak it, and write it to a WAV file.")
    p.add_argument("text", metavar="TEXT", help="what the customer says")
    p.add_argument("--scenario", required=True, metavar="ID", help="scenario id or file")
    p.add_argument("--agitation", type=float, default=None, metavar="N",
                   help="0 calm .. 100 out of control (default: the customer's starting agitation)")
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="auto: a natural voice where one fits; pyttsx3: the system voice (espeak-ng on "
                        "Linux); hibari or flite: that engine where it has a voice (default: the engine "
                        "chosen in Settings for this kind of customer, auto unless changed)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.wav", help="where to write the WAV")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.text.strip():
        print("simulator say: nothing to say: TEXT is empty", file=sys.stderr)
        return 2
    if args.agitation is not None and not 0 <= args.agitation <= 100:
        print(f"simulator say: --agitation must be between 0 and 100, not {args.agitation:g}", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"{args.out}: the folder {args.out.parent} does not exist", file=sys.stderr)
        return 2
    try:
        scenario = find(args.scenario)
    except (ScenarioError, NotFound) as exc:
        print(exc, file=sys.stderr)
        return 2

    from simulator.settings import load_settings
    from simulator.speech.tts import LineRenderer, TtsFailed, TtsUnavailable

    customer = scenario.customer
    agitation = customer.agitation if args.agitation is None else args.agitation
    settings = load_settings()  # a bad settings file falls back to the defaults, as in the app
    renderer = LineRenderer(speed=settings.customer_speaking_speed / 100)
    if args.engine is None:
        renderer.choices = {str(kind): str(engine) for kind, engine in settings.customer_voice_engines.items()}
    else:
        renderer.choices = {gender: args.engine for gender in ("female", "male", "neutral")}
    try:
        path = renderer.render(args.text, customer.voice, agitation)
        delivery = renderer.delivery_for(customer.voice, agitation)
    except (TtsUnavailable, TtsFailed) as exc:
        print(f"simulator say: {exc}", file=sys.stderr)
        return 1
    try:
        shutil.copyfile(path, args.out)
    except OSError as exc:
        print(f"{args.out}: cannot write the WAV file: {exc.strerror}", file=sys.stderr)
        return 2
    for problem in renderer.problems:
        print(f"note: {problem}", file=sys.stderr)
    with wave.open(str(args.out)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    if delivery.engine == "pyttsx3":
        engine, pitch = "the system voice", f"pitch {delivery.pitch}/100"
    else:
        engine, pitch = f"{delivery.engine}'s voice", f"pitch {delivery.shift:+.1f} st"
    print(f"wrote {args.out}: {customer.name}, {engine} {delivery.voice_id}, agitation {agitation:g}, "
          f"{delivery.rate} wpm, {pitch}, range x{delivery.range:g}, timbre x{delivery.formant:g}, "
          f"{seconds:.1f} s")
    return 0
