"""The trainee's desktop app: library, microphone check, conversation, debrief and settings screens."""
