"""mintqo: quality self-analysis for out-of-school MINT initiatives."""
