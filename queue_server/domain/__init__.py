"""The queue rules in plain Python: no Flask, no SQLAlchemy, no I/O."""
