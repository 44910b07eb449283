"""The policy that acts on the households: the programmes (低保, monitoring, posts, training, ...), the
budget that pays for them and caps them, and the levers a scenario moves from a given year."""
