"""Qt services, one per device: the speaker (VoiceOut), the microphone and the recogniser."""
