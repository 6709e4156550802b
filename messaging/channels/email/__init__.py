"""The email channel: Message-IDs we can recognise, parsing, and the three ways in."""
