"""Speech in and out without Qt: recognition, scenario adaptation, voice activity detection, synthesis."""
