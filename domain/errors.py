"""The one shape of an input error: a catalogue key and the values that fill it.

Domain rules raise subclasses (PlanError, PromptError, CheckinError); the command
framework answers any of them with the explanation and the command's usage line.
"""

from __future__ import annotations


class InputError(Exception):
    """Input a person must correct; `key` names the catalogue explanation, `params` fill it."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params
