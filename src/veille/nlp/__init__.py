"""The annotate stage: entities, roles, quotes and dates, per language (see annotate.py)."""
