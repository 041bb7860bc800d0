"""The FastAPI application: owns the one DuckDB connection for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from oms_ops.api import errors
from oms_ops.api.routes import router
from oms_ops.api.routes_amendments import router as amendments_router
from oms_ops.api.routes_approvals import router as approvals_router
from oms_ops.api.routes_fulfilment import router as fulfilment_router
from oms_ops.api.routes_imports import router as imports_router
from oms_ops.api.routes_master_data import router as master_data_router
from oms_ops.api.routes_payments import router as payments_router
from oms_ops.api.routes_planning import router as planning_router
from oms_ops.api.routes_stock import router as stock_router
from oms_ops.services.outbox import Delivery, Dispatcher
from oms_ops.settings import Settings
from oms_ops.store.database import Database


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.oms_db)
        db.migrate()
        app.state.db = db
        app.state.settings = settings
        dispatcher = Dispatcher(db, Delivery.from_settings(settings), settings.outbox_poll_seconds)
        dispatcher.start()
        try:
            yield
        finally:
            dispatcher.stop()
            db.close()

    app = FastAPI(title="OMS operations API", version="1.0", lifespan=lifespan)
    errors.install(app)
    app.include_router(router)
    app.include_router(fulfilment_router)
    app.include_router(amendments_router)
    app.include_router(approvals_router)
    app.include_router(imports_router)
    app.include_router(master_data_router)
    app.include_router(payments_router)
    app.include_router(planning_router)
    app.include_router(stock_router)
    return app
