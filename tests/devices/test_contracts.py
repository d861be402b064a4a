"""The device contracts: the real services and the test fakes implement them in full."""

from __future__ import annotations

import typing

import pytest

from simulator.devices.contracts import Microphone, ReplyListener, VoiceOutput
from tests.ui.fakes import FakeListener, FakeMicrophone, FakeVoice

# Members the real service sets on each instance (or its builder stamps), not on the class.
INSTANCE_ONLY = {"recognizer", "worker"}


def members(protocol: type) -> set[str]:
    return set(typing._get_protocol_attrs(protocol))  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fake", "protocol"), [(FakeVoice, VoiceOutput), (FakeMicrophone, Microphone),
                                                (FakeListener, ReplyListener)])
def test_every_fake_implements_its_contract_in_full(qapp, fake, protocol):
    assert isinstance(fake(), protocol)


def test_every_real_service_declares_its_contract():
    from simulator.devices.listener import Listener
    from simulator.devices.microphone import Microphone as RealMicrophone
    from simulator.devices.voice_out import VoiceOut

    for real, protocol in ((VoiceOut, VoiceOutput), (RealMicrophone, Microphone), (Listener, ReplyListener)):
        missing = {m for m in members(protocol) - INSTANCE_ONLY if not hasattr(real, m)}
        assert not missing, f"{real.__name__} lacks {sorted(missing)} of {protocol.__name__}"
