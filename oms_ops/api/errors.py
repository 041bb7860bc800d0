"""Domain errors and request validation errors as clear HTTP answers (see contracts.ErrorBody)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from oms_ops.domain import errors as e

STATUS: dict[type[e.DomainError], int] = {
    e.NotAuthenticated: 401,
    e.PermissionDenied: 403,
    e.NotFound: 404,
    e.AlreadyExists: 409,
    e.InsufficientStock: 409,
    e.InvalidTransition: 409,
    e.InvalidInput: 422,
    e.Unavailable: 503,
}


def field_path(loc: tuple[int | str, ...]) -> str:
    """('body', 'lines', 0, 'quantity') -> 'lines[0].quantity'."""
    path = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path") else loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, e.DomainError)
    body: dict[str, object] = {"code": exc.code, "message": exc.message, "field": exc.field}
    if isinstance(exc, e.InsufficientStock):
        body["short"] = [s.__dict__ for s in exc.shortages]
    status = (
        next(code for kind, code in STATUS.items() if isinstance(exc, kind)) if type(exc) is not e.DomainError else 400
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0]
    field = field_path(tuple(first.get("loc", ())))
    message = f"{field or 'The request'}: {first.get('msg', 'is not valid')}."
    return JSONResponse({"code": "invalid_input", "message": message, "field": field or None}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(e.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
