"""TNR Watch: document, track and counter transnational repression."""
