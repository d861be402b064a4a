"""What the simulator keeps: sessions with their turns and recordings, written as they happen."""
