"""Beyond Reach: document, track and counter transnational repression."""
