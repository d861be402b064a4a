"""`simulator assess`: judge a typed reply, a recorded one, or a TSV file of them, as the app would.

    simulator assess --text "I can see you're frustrated" [--name NAME] [--customer-line "..."] [--json]
    simulator assess --audio reply.wav [--baseline calibration.wav] [--json]
    simulator assess --batch replies.tsv [--json]      (or replies.csv: comma-separated, quoted as a spreadsheet saves it)

Bad input gives one line on stderr naming the file (or its row) and exit code 2. In a batch a bad
row prints {"row": N, "error": "..."} in its place, and the run carries on (exit 2 at the end).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.engine.judgement import HeardWord, JudgeContext, Judgement, Reply
from simulator.fileio import not_regular


class InputError(Exception):
    """Input the command cannot use; the message names the file and what to do."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess", help="judge a reply (typed, recorded, or a TSV or CSV file of them)",
        description="Judge a trainee reply the way the app does: wording against the rubric "
                    "(simulator/analysis/phrases.yaml) and, for recordings, tone of voice.")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", metavar="TEXT", help="a typed reply")
    source.add_argument("--audio", type=Path, metavar="FILE.wav", help="a recorded reply (transcribed, then judged)")
    source.add_argument("--batch", type=Path, metavar="FILE.tsv",
                        help="a TSV (or a CSV: a .csv file, or a header with commas and no tabs) with a header "
                             "and a 'reply' (text) or 'audio' (WAV path) column; "
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

    special = not_regular(args.rubric) if args.rubric is not None else None
    if special:
        print(f"{args.rubric}: {special} (--rubric)", file=sys.stderr)
        return 2
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
        header = _check_wav(path, what)
        if baseline is not None:
            _check_wav(baseline, "--baseline" if what == "--audio" else f"{what} baseline")
        if self._transcribe is None:
            self._transcribe = _transcriber()
        try:
            with _plain_wav(path, header) as readable:
                text, confidence, words = self._transcribe(readable, name)
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


# A trainee's reply is under two minutes; past that a file is not a reply, and transcribing it
# would take minutes (60 s of audio took 41 s on the test machine).
MAX_REPLY_SECONDS = 120

# What other audio files start with, for a message that says how to convert them.
_OTHER_AUDIO = ((0, b"ID3", "MP3"), (0, b"\xff\xfb", "MP3"), (0, b"\xff\xf3", "MP3"), (0, b"\xff\xf2", "MP3"),
                (0, b"OggS", "OGG"), (0, b"fLaC", "FLAC"), (4, b"ftyp", "M4A/AAC"), (0, b"FORM", "AIFF"))


def _convert_hint(path: Path) -> str:
    target = path.with_name(f"{path.stem}.wav" if path.suffix.lower() != ".wav" else f"{path.stem}-converted.wav")
    return (f"convert it to WAV first, e.g. `ffmpeg -i {path} -ac 1 -ar 16000 {target}` "
            f"or `sox {path} -c 1 -r 16000 {target}`")


def _check_wav(path: Path, what: str) -> Any:
    """A usable WAV file's header, or an InputError saying what is wrong with it and what to do."""
    if not path.exists():
        raise InputError(f"{path}: no such file ({what}); check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder ({what}); give a WAV file")
    special = not_regular(path)
    if special:
        raise InputError(f"{path}: {special} ({what})")
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    if not head:
        raise InputError(f"{path}: the file is empty ({what}); record the reply again")
    for offset, magic, kind in _OTHER_AUDIO:
        if head[offset:offset + len(magic)] == magic:
            raise InputError(f"{path}: this is an {kind} file ({what}); the simulator reads WAV recordings: "
                             f"{_convert_hint(path)}")
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise InputError(f"{path}: not a WAV file ({what}); {_convert_hint(path)}")
    from simulator.analysis.audio import AudioError, load_wav, read_header

    try:
        header = read_header(path)
        if header.duration > MAX_REPLY_SECONDS:
            minutes, seconds = divmod(round(header.duration), 60)
            raise InputError(f"{path}: the recording is {minutes} min {seconds} s long ({what}); a reply is under "
                             f"{MAX_REPLY_SECONDS // 60} minutes: cut out the reply (e.g. `sox {path} reply.wav "
                             "trim 0 1:00`) or record it again")
        audio = load_wav(path)
    except AudioError as exc:
        raise InputError(f"{exc} ({what}); record or convert it again") from None
    if len(audio.samples) == 0:
        raise InputError(f"{path}: holds no audio ({what}); record the reply again")
    return header


@contextmanager
def _plain_wav(path: Path, header: Any) -> Iterator[Path]:
    """`path`, or a 16-bit copy of it at its own rate for a 24/32-bit, float or EXTENSIBLE file, which
    the recogniser's reader (Python's `wave`, through SpeechRecognition) does not read right."""
    if header is None or header.plain_pcm16:
        yield path
        return
    import numpy as np

    from simulator.analysis.audio import load_wav

    audio = load_wav(path, rate=header.rate)
    with tempfile.TemporaryDirectory(prefix="simulator-assess-") as folder:
        copy = Path(folder) / "reply.wav"
        with wave.open(str(copy), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(header.rate)
            out.writeframes((np.clip(audio.samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
        yield copy


def _transcriber() -> Any:
    """The app's default recogniser (Whisper tiny.en, or PocketSphinx when it cannot load:
    simulator.speech.engines.transcribe_file), else a direct pocketsphinx decode.

    Adapted as the app adapts it to a scenario, with what is known here: the shared corpus of
    replies and the rubric's phrases, and the customer's name when given (no scenario, so none
    of a scenario's texts). Built once per name (~1 s; the first ever takes longer)."""
    try:
        from simulator.speech.adaptation import build_adaptation
        from simulator.speech.engines import transcribe_file
    except ModuleNotFoundError as exc:
        if exc.name not in ("simulator.speech.recognizer", "simulator.speech", "simulator.speech.engines"):
            raise
        return _pocketsphinx_shim()

    def transcribe(path: Path, name: str) -> tuple[str, float | None, tuple[HeardWord, ...]]:
        result = transcribe_file(path, adaptation=build_adaptation([], [name] if name.strip() else []))
        return result.text, result.confidence, tuple(HeardWord(w.text, w.confidence) for w in result.words)

    return transcribe


def _pocketsphinx_shim() -> Any:
    # SHIM until simulator/speech/recognizer.py exists: plain pocketsphinx 5 with its bundled model.
    from pocketsphinx import Decoder

    from simulator.analysis.audio import load_wav

    decoder = Decoder()

    def transcribe(path: Path, name: str = "") -> tuple[str, float | None, tuple[HeardWord, ...]]:
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
    from simulator.analysis.wording import prefetch

    rows = _read_tsv(path)
    failed = 0
    for k, (number, row) in enumerate(rows):
        if k % _PREFETCH == 0:  # the next typed replies read in context together: batches are faster
            prefetch([r["reply"] for _, r in rows[k:k + _PREFETCH]
                      if isinstance(r, dict) and not (r.get("audio") or "").strip() and r.get("reply")])
        try:
            if isinstance(row, str):
                raise InputError(row)
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


_PREFETCH = 1000

# A two-minute reply is about 2,000 characters; a cell far past that is not a reply.
MAX_CELL = 10_000


def _read_tsv(path: Path) -> list[tuple[int, dict[str, str] | str]]:
    if not path.exists():
        raise InputError(f"{path}: no such file (--batch); check the path") from None
    special = not_regular(path)
    if special:
        raise InputError(f"{path}: {special} (--batch)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(f"{path}: the file is empty; it needs a header row with a 'reply' or 'audio' column") from None
    comma = _comma_separated(path, lines[0])
    try:
        header = [h.strip().lower() for h in _cells(lines[0], comma)]
    except csv.Error as exc:
        raise InputError(f"{path}: the header row cannot be read ({exc})") from None
    if "reply" not in header and "audio" not in header:
        kind = "comma" if comma else "tab"
        raise InputError(f"{path}: the header row needs a 'reply' (text) or 'audio' (WAV path) column; "
                         f"found ({kind}-separated): {' | '.join(header) or 'nothing'}")
    rows: list[tuple[int, dict[str, str] | str]] = []
    for number, line in enumerate(lines[1:], start=2):
        # Row by row, so one bad row (a cell past the csv module's limit) is reported and the rest go on.
        try:
            cells = _cells(line, comma)
        except csv.Error as exc:
            rows.append((number, f"this row cannot be read ({exc}); a reply is a few sentences"))
            continue
        if not any(c.strip() for c in cells):
            continue
        longest = max(len(c) for c in cells)
        if longest > MAX_CELL:
            rows.append((number, f"a cell is {longest:,} characters long; a reply is a few sentences "
                                 f"(at most {MAX_CELL:,} characters)"))
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}))
    return rows


def _comma_separated(path: Path, header: str) -> bool:
    """A .csv file, or a header with commas and no tab, is read as CSV (quotes as a spreadsheet writes
    them); anything else as TSV, where quotes are part of the reply."""
    return path.suffix.lower() == ".csv" or ("\t" not in header and "," in header)


def _cells(line: str, comma: bool = False) -> list[str]:
    if comma:
        return next(csv.reader([line]), [])
    return next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE), [])


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
