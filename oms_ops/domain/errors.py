"""Named domain errors; each carries the sentence a clerk should read."""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAuthenticated(DomainError):
    code = "not_authenticated"


class PermissionDenied(DomainError):
    code = "permission_denied"


class NotFound(DomainError):
    code = "not_found"


class InvalidInput(DomainError):
    code = "invalid_input"


class AlreadyExists(DomainError):
    code = "already_exists"


class Unavailable(DomainError):
    code = "unavailable"


class InvalidTransition(DomainError):
    code = "invalid_transition"


@dataclass(frozen=True)
class Shortage:
    sku: str
    warehouse: str
    requested: int
    available: int

    def sentence(self) -> str:
        return f"only {self.available} of SKU {self.sku} available in {self.warehouse} (requested {self.requested})"


class InsufficientStock(DomainError):
    code = "insufficient_stock"

    def __init__(self, shortages: list[Shortage]) -> None:
        self.shortages = shortages
        super().__init__("Not enough stock: " + "; ".join(s.sentence() for s in shortages) + ".")
