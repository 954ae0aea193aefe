"""A slow, obviously-correct availability engine to hold the real one to (see engine.py)."""
