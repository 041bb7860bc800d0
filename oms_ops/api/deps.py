"""What every request needs: the database, the settings, and who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from oms_ops.services import auth
from oms_ops.services.actor import Actor
from oms_ops.settings import Settings
from oms_ops.store.database import Database

bearer = HTTPBearer(auto_error=False)


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str | None:
    return credentials.credentials if credentials else None


def current_actor(
    token: Annotated[str | None, Depends(bearer_token)],
    db: Annotated[Database, Depends(get_db)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Actor:
    return auth.authenticate(db, token, settings.pipeline_api_key)


DB = Annotated[Database, Depends(get_db)]
CurrentActor = Annotated[Actor, Depends(current_actor)]
AppSettings = Annotated[Settings, Depends(get_settings)]
