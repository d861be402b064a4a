"""`simulator assess`: judge a typed reply, a recorded one, or a TSV file of them, as the app would.

    simulator assess --text "I can see you're frustrated" [--name NAME] [--customer-line "..."] [--json]
    simulator assess --audio reply.wav [--baseline calibration.wav] [--json]
    simulator assess --batch replies.tsv [--json]

Bad input gives one line on stderr naming the file (or TSV row) and exit code 2. In a batch a bad
row prints {"row": N, "error": "..."} in its place, and the run carries on (exit 2 at the end).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.engine.judgement import HeardWord, JudgeContext, Judgement, Reply


class InputError(Exception):
    """Input the command cannot use; the message names the file and what to do."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess", help="judge a reply (typed, recorded, or a TSV of them)",
        description="Judge a trainee reply the way the app does: wording against the rubric "
                    "(simulator/analysis/phrases.yaml) and, for recordings, tone of voice.")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="TEXT", help="a typed reply")
    source.add_argument("--audio", type=Path, metavar="FILE.wav", help="a recorded reply (transcribed, then judged)")
    source.add_argument("--batch", type=Path, metavar="FILE.tsv",
                        help="a TSV with a header and a 'reply' (text) or 'audio' (WAV path) column; "
                             "optional columns: baseline, customer_line, customer_name")
    p.add_argument("--name", default="", metavar="NAME", help="the customer's name, to notice when it is used")
    p.add_argument("--customer-line", default="", metavar="TEXT",
                   help="what the customer just said, to notice when it is reflected back")
    p.add_argument("--baseline", type=Path, metavar="FILE.wav",
                   help="the trainee's calibration recording, for judging tone against their own voice")
    p.add_argument("--rubric", type=Path, metavar="FILE.yaml", help="a rubric to use instead of the shipped phrases.yaml")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line in batch mode)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from simulator.analysis.judge import RubricJudge
    from simulator.analysis.wording import RubricError, load_rubric

    try:
        judge = RubricJudge(load_rubric(args.rubric))
    except RubricError as exc:
        print(f"{exc}", file=sys.stderr)
        return 2
    assessor = _Assessor(judge)
    try:
        if args.batch is not None:
            return _run_batch(assessor, args)
        if args.text is not None:
            result = assessor.text(args.text, args.name, args.customer_line)
        else:
            result = assessor.audio(args.audio, args.baseline, args.name, args.customer_line, what="--audio")
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    _print(result, args.json)
    return 0


# --------------------------------------------------------------------------------------------------


@dataclass
class _Result:
    judgement: Judgement
    spoken: bool


class _Assessor:
    def __init__(self, judge: Any) -> None:
        self.judge = judge
        self._transcribe: Any = None

    def text(self, text: str, name: str, customer_line: str) -> _Result:
        context = JudgeContext(customer_name=name, customer_line=customer_line)
        return _Result(self.judge.judge(Reply(text), context), spoken=False)

    def audio(self, path: Path, baseline: Path | None, name: str, customer_line: str, what: str) -> _Result:
        _check_wav(path, what)
        if baseline is not None:
            _check_wav(baseline, "--baseline" if what == "--audio" else f"{what} baseline")
        if self._transcribe is None:
            self._transcribe = _transcriber()
        try:
            text, confidence, words = self._transcribe(path)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - the recogniser's failure is reported, not thrown
            raise InputError(f"{path}: could not be transcribed ({exc}); check it is speech in a WAV file") from None
        context = JudgeContext(customer_name=name, customer_line=customer_line, baseline_audio=baseline)
        judgement = self.judge.judge(Reply(text, audio_path=path, recognition_confidence=confidence,
                                           words=words), context)
        if not text.strip():
            judgement = judgement.model_copy(update={
                "explanation": ["No words were recognised in the recording.", *judgement.explanation]})
        return _Result(judgement, spoken=True)


def _check_wav(path: Path, what: str) -> None:
    """A usable WAV file, or an InputError saying what is wrong with it and what to do."""
    if not path.exists():
        raise InputError(f"{path}: no such file ({what}); check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder ({what}); give a WAV file")
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    if not head:
        raise InputError(f"{path}: the file is empty ({what}); record the reply again")
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise InputError(f"{path}: not a WAV file ({what}); convert it, e.g. sox in.mp3 -r 16000 -c 1 out.wav")
    try:
        from simulator.analysis.audio import AudioError, load_wav
    except ImportError:
        return
    try:
        audio = load_wav(path)
    except AudioError as exc:
        raise InputError(f"{exc} ({what}); record or convert it again") from None
    if getattr(audio, "samples", None) is not None and len(audio.samples) == 0:
        raise InputError(f"{path}: holds no audio ({what}); record the reply again")


def _transcriber() -> Any:
    """The app's default recogniser (Whisper tiny.en, or PocketSphinx when it cannot load:
    simulator.speech.engines.transcribe_file), else a direct pocketsphinx decode."""
    try:
        from simulator.speech.engines import transcribe_file
    except ModuleNotFoundError as exc:
        if exc.name not in ("simulator.speech.recognizer", "simulator.speech", "simulator.speech.engines"):
            raise
        return _pocketsphinx_shim()

    def transcribe(path: Path) -> tuple[str, float | None, tuple[HeardWord, ...]]:
        result = transcribe_file(path)
        return result.text, result.confidence, tuple(HeardWord(w.text, w.confidence) for w in result.words)

    return transcribe


def _pocketsphinx_shim() -> Any:
    # SHIM until simulator/speech/recognizer.py exists: plain pocketsphinx 5 with its bundled model.
    from pocketsphinx import Decoder

    from simulator.analysis.audio import load_wav

    decoder = Decoder()

    def transcribe(path: Path) -> tuple[str, float | None, tuple[HeardWord, ...]]:
        import numpy as np

        audio = load_wav(path, rate=16_000)
        pcm = (np.clip(audio.samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        if hyp is None:
            return "", 0.0, ()
        return hyp.hypstr, float(decoder.get_logmath().exp(hyp.prob)), ()

    return transcribe


# --------------------------------------------------------------------------------------------------
# Batch


def _run_batch(assessor: _Assessor, args: argparse.Namespace) -> int:
    path: Path = args.batch
    rows = _read_tsv(path)
    failed = 0
    for number, row in rows:
        try:
            result = _batch_row(assessor, path, row, args)
        except InputError as exc:
            failed += 1
            message = f"{path} row {number}: {exc}"
            print(message, file=sys.stderr)
            if args.json:
                print(json.dumps({"row": number, "error": message}), flush=False)
            else:
                print(f"row {number}: error: {exc}")
            continue
        if args.json:
            print(json.dumps(_to_json(result), ensure_ascii=False))
        else:
            print(f"row {number}: ", end="")
            _print(result, as_json=False)
    sys.stdout.flush()
    return 2 if failed else 0


def _read_tsv(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise InputError(f"{path}: no such file (--batch); check the path") from None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save the TSV as UTF-8") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(f"{path}: the file is empty; it needs a header row with a 'reply' or 'audio' column") from None
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip().lower() for h in next(reader)]
    if "reply" not in header and "audio" not in header:
        raise InputError(f"{path}: the header row needs a 'reply' (text) or 'audio' (WAV path) column; "
                   f"found: {', '.join(header) or 'nothing'}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}))
    return rows


def _batch_row(assessor: _Assessor, tsv: Path, row: dict[str, str], args: argparse.Namespace) -> _Result:
    name = row.get("customer_name") or args.name
    customer_line = row.get("customer_line") or args.customer_line
    audio = (row.get("audio") or "").strip()
    if audio:
        baseline_cell = (row.get("baseline") or "").strip()
        baseline = _relative(tsv, baseline_cell) if baseline_cell else args.baseline
        return assessor.audio(_relative(tsv, audio), baseline, name, customer_line, what="audio column")
    if "reply" not in row:
        raise InputError("the audio cell is empty; give a WAV path")
    return assessor.text(row["reply"], name, customer_line)


def _relative(tsv: Path, cell: str) -> Path:
    p = Path(cell).expanduser()
    return p if p.is_absolute() else tsv.parent / p


# --------------------------------------------------------------------------------------------------
# Output


def _to_json(result: _Result) -> dict[str, Any]:
    j = result.judgement
    out: dict[str, Any] = {
        "intent": j.intent,
        "confidence": j.confidence,
        "techniques": [{"name": f.name, "evidence": f.evidence} for f in j.techniques],
        "triggers": [{"name": f.name, "evidence": f.evidence} for f in j.triggers],
        "tone": None if j.tone is None else {
            "label": j.tone.label,
            "loudness_db": j.tone.loudness_db,
            "pitch_hz": j.tone.pitch_hz,
            "pitch_range_semitones": j.tone.pitch_range_semitones,
            "rate_wps": j.tone.rate_wps,
            "cues": list(j.tone.cues),
        },
    }
    if result.spoken:
        out["transcript"] = j.transcript or ""
        # Grave triggers resting on unsure words: the simulator would ask to hear the reply again.
        out["unsure_words"] = list(j.unsure_words)
    out["agitation_delta"] = j.agitation_delta
    out["explanation"] = list(j.explanation)
    return out


_INTENT_WORDS = {"deescalate": "De-escalating", "neutral": "Neutral", "escalate": "Escalating"}


def _print(result: _Result, as_json: bool) -> None:
    if as_json:
        print(json.dumps(_to_json(result), ensure_ascii=False, indent=2))
        return
    j = result.judgement
    sign = "+" if j.agitation_delta >= 0 else ""
    print(f"{_INTENT_WORDS[j.intent]} (confidence {j.confidence:.2f}); "
          f"agitation push {sign}{j.agitation_delta:.1f}")
    if result.spoken:
        print(f"  heard: \"{j.transcript or ''}\"")
    if j.unsure_words:
        print(f"  unsure (would be asked again): {', '.join(j.unsure_words)}")
    if j.tone is not None:
        print(f"  tone: {j.tone.label}")
    for label, found in (("techniques", j.techniques), ("triggers", j.triggers)):
        items = ", ".join(f"{f.name} (\"{f.evidence}\")" for f in found) or "none"
        print(f"  {label}: {items}")
    for sentence in j.explanation:
        print(f"  - {sentence}")
