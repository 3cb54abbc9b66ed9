"""Reflective prompts: which ones a community has, posting them, their schedule and reply counts."""
