"""Use cases: each runs one transaction around the domain rules and reports what changed."""
