"""Answering with a pydantic model validated once and serialised once, by pydantic's own JSON encoder.

A route whose return annotation is a model has FastAPI dump the returned model, validate it again and
serialise it (about 1 ms for a whole order); the hot write routes (place, ship, ...) answer with
`model_response` instead and name their model in `response_model=`, so the OpenAPI schema and the bytes
on the wire stay the same.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel


def model_response(model: type[BaseModel], value: Any, status_code: int = 200) -> Response:
    """`value` (a service's dict) validated as `model` and answered as JSON."""
    body = model.model_validate(value).model_dump_json()
    return Response(body, status_code=status_code, media_type="application/json")
