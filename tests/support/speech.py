"""Speech the tests make themselves: espeak-ng, converted by sox to what a microphone gives the app."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path


def espeak_wav(text: str, out: Path, voice: str | None = None, pad: tuple[float, float] | None = None,
               espeak_args: Sequence[str] = ()) -> Path:
    """`text` spoken by espeak-ng (`voice`, default its own) as a 16 kHz mono 16-bit WAV at `out`,
    with `pad` seconds of silence before and after. sox is told to repeat itself (-R): it dithers
    a conversion with a random seed otherwise, and PocketSphinx read 2 or 5-7 of one test's 22
    words wrong depending on that noise in the lowest bit."""
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", *(["-v", voice] if voice else []), "-w", str(raw), *espeak_args, text],
                   check=True)
    subprocess.run(["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out),
                    *(["pad", str(pad[0]), str(pad[1])] if pad else [])], check=True)
    return out
