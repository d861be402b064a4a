"""Offline de-escalation simulator: voiced, branching scenarios judged on words and tone."""

import os

# numpy's OpenBLAS keeps a thread per core and wakes them for every matrix product. On a 2-core
# laptop a reply's products are small (the log-mel filterbank: 0.2 ms on one thread) but took
# ~5 ms each while the wakes fought Whisper's own threads; a short reply's decode took a median
# 256-305 ms wall against 166-256 ms on one thread (load ~2, interleaved runs). Set before numpy
# is first imported; a value the user set wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
