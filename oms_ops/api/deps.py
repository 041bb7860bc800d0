"""What every request needs: the database, the settings, and who is calling.

The dependencies are `async`: FastAPI runs a plain `def` dependency in its thread pool, one thread hop
each per request. Only a session token needs the database; that look-up still runs in the pool.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from oms_ops.services import auth
from oms_ops.services.actor import Actor
from oms_ops.settings import Settings
from oms_ops.store.database import Database

bearer = HTTPBearer(auto_error=False)


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def bearer_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str | None:
    return credentials.credentials if credentials else None


async def current_actor(
    token: Annotated[str | None, Depends(bearer_token)],
    db: Annotated[Database, Depends(get_db)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Actor:
    key = settings.pipeline_api_key
    if not token or hmac.compare_digest(token.encode(), key.encode()):
        return auth.authenticate(db, token, key)  # no token, or the API key: answered without the database
    return await run_in_threadpool(auth.authenticate, db, token, key)


DB = Annotated[Database, Depends(get_db)]
CurrentActor = Annotated[Actor, Depends(current_actor)]
AppSettings = Annotated[Settings, Depends(get_settings)]
