"""Speech without Qt: the customer's voice (text-to-speech and its cache) and recognising the trainee."""
