"""Errors the queue rules raise; each carries a code and a sentence a visitor or officer can read."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused something. `message` is Bahasa Indonesia, `message_en` English."""

    code = "domain_error"

    def __init__(self, message: str, message_en: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """Something named by code or id does not exist."""

    code = "not_found"


class IssueRefused(DomainError):
    """A ticket cannot be issued now: quota used up, service closed or inactive."""

    code = "issue_refused"


class InvalidTransition(DomainError):
    """The action does not fit the ticket's or the counter's present state."""

    code = "invalid_state"


class InvalidConfig(DomainError):
    """The hall description is inconsistent (unknown agency, duplicate prefix, bad hours...)."""

    code = "invalid_config"
