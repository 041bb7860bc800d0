"""Typed Python client of the oms_ops HTTP API, used by the pages, the pipelines, the CLI and the tests."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import polars as pl
from pydantic import BaseModel, TypeAdapter

from oms_ops import contracts as c

API = "/api/v1"


class ApiError(Exception):
    """An error answer of the server; `message` is a sentence for people."""

    def __init__(self, status: int, body: c.ErrorBody) -> None:
        super().__init__(body.message)
        self.status = status
        self.code = body.code
        self.message = body.message
        self.field = body.field
        self.short = body.short or []


class Unauthorized(ApiError):
    pass


class Forbidden(ApiError):
    pass


class NotFound(ApiError):
    pass


class Conflict(ApiError):
    pass


class InvalidInput(ApiError):
    pass


_ERRORS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidInput,
}


class OmsClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OmsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response = self._http.request(method, API + path, headers=headers, **kwargs)
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def _get(self, path: str, model: Any, **params: Any) -> Any:
        params = {k: v for k, v in params.items() if v is not None}
        return TypeAdapter(model).validate_python(self._request("GET", path, params=params).json())

    def _post(self, path: str, model: Any, body: BaseModel | None = None) -> Any:
        payload = body.model_dump(mode="json") if body is not None else None
        return TypeAdapter(model).validate_python(self._request("POST", path, json=payload).json())

    # -- session -------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return dict(self._request("GET", "/health").json())

    def login(self, username: str, password: str) -> c.LoginResponse:
        body = c.LoginRequest(username=username, password=password)
        result: c.LoginResponse = self._post("/auth/login", c.LoginResponse, body)
        self.token = result.token
        return result

    def logout(self) -> None:
        self._request("POST", "/auth/logout")
        self.token = None

    def me(self) -> c.UserOut:
        return self._get("/auth/me", c.UserOut)

    def create_user(self, username: str, password: str, roles: list[str], display_name: str | None = None) -> c.UserOut:
        body = c.NewUser(username=username, password=password, roles=roles, display_name=display_name)
        return self._post("/users", c.UserOut, body)

    # -- orders --------------------------------------------------------------------------
    def place_order(
        self,
        customer_code: str,
        lines: list[c.OrderLineIn] | list[dict[str, Any]],
        channel: str = "manual",
        external_ref: str | None = None,
        note: str | None = None,
    ) -> c.OrderOut:
        body = c.NewOrder(
            customer_code=customer_code,
            lines=[c.OrderLineIn.model_validate(line) for line in lines],
            channel=channel,
            external_ref=external_ref,
            note=note,
        )
        return self._post("/orders", c.OrderOut, body)

    def get_order(self, order_number: str) -> c.OrderOut:
        return self._get(f"/orders/{order_number}", c.OrderOut)

    def list_orders(
        self,
        query: str | None = None,
        status: str | None = None,
        customer_code: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        page: int = 1,
        page_size: int = 50,
    ) -> c.OrderPage:
        return self._get(
            "/orders",
            c.OrderPage,
            query=query,
            status=status,
            customer_code=customer_code,
            date_from=date_from,
            date_to=date_to,
            page=page,
            page_size=page_size,
        )

    # -- fulfilment and settlement --------------------------------------------------------
    def record_payment(
        self,
        order_number: str,
        method: str,
        amount: Decimal | str,
        paid_on: date | None = None,
        reference: str | None = None,
    ) -> c.OrderOut:
        body = c.PaymentIn(method=method, amount=Decimal(amount), paid_on=paid_on, reference=reference)
        return self._post(f"/orders/{order_number}/payments", c.OrderOut, body)

    def ship_order(
        self,
        order_number: str,
        lines: Mapping[int, int] | None = None,
        warehouse: str | None = None,
        note: str | None = None,
    ) -> c.OrderOut:
        """Ship {line_no: quantity}, or everything left to ship (from `warehouse` only, when given)."""
        shipped = [c.ShipmentLineIn(line_no=no, quantity=qty) for no, qty in (lines or {}).items()]
        body = c.ShipmentIn(lines=shipped, warehouse=warehouse, note=note)
        return self._post(f"/orders/{order_number}/shipments", c.OrderOut, body)

    def cancel_order(self, order_number: str, reason: str) -> c.OrderOut:
        return self._post(f"/orders/{order_number}/cancel", c.OrderOut, c.ReasonIn(reason=reason))

    def hold_order(self, order_number: str, reason: str) -> c.OrderOut:
        return self._post(f"/orders/{order_number}/hold", c.OrderOut, c.ReasonIn(reason=reason))

    def release_order(self, order_number: str, reason: str) -> c.OrderOut:
        return self._post(f"/orders/{order_number}/release", c.OrderOut, c.ReasonIn(reason=reason))

    # -- stock and master data -----------------------------------------------------------
    def stock(self, sku: str | None = None, warehouse: str | None = None) -> list[c.StockRow]:
        return self._get("/stock", list[c.StockRow], sku=sku, warehouse=warehouse)

    def receive_stock(self, warehouse: str, sku: str, quantity: int, reason: str | None = None) -> c.StockRow:
        body = c.ReceiveStock(warehouse=warehouse, sku=sku, quantity=quantity, reason=reason)
        return self._post("/stock/receipts", c.StockRow, body)

    def customers(self, query: str | None = None, limit: int = 20) -> list[c.CustomerOut]:
        return self._get("/customers", list[c.CustomerOut], query=query, limit=limit)

    def products(self, query: str | None = None, limit: int = 20) -> list[c.ProductOut]:
        return self._get("/products", list[c.ProductOut], query=query, limit=limit)

    def warehouses(self) -> list[c.WarehouseOut]:
        return self._get("/warehouses", list[c.WarehouseOut])

    # -- system --------------------------------------------------------------------------
    def bulk_load(self, entity: str, frame: pl.DataFrame) -> c.BulkResult:
        """Send rows as Parquet to the server's set-based bulk path (admin or system key)."""
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        response = self._request(
            "POST",
            f"/bulk/{entity}",
            content=buffer.getvalue(),
            headers={"Content-Type": "application/vnd.apache.parquet"},
        )
        return c.BulkResult.model_validate(response.json())

    def bulk_receive(self, stock: Mapping[tuple[str, str], int], reason: str = "opening stock") -> c.BulkResult:
        """Receive many (warehouse, sku) -> units at once, e.g. opening stock, as ledger receipts."""
        receipts = pl.DataFrame(
            {
                "occurred_at": [datetime.now(UTC)] * len(stock),
                "warehouse_code": [warehouse for warehouse, _ in stock],
                "sku": [sku for _, sku in stock],
                "movement": ["receipt"] * len(stock),
                "on_hand_delta": list(stock.values()),
                "reason": [reason] * len(stock),
            },
            schema_overrides={"occurred_at": pl.Datetime("us", "UTC"), "on_hand_delta": pl.Int64},
        )
        return self.bulk_load("stock_movements", receipts)

    def snapshot(self) -> c.SnapshotResult:
        return self._post("/snapshots", c.SnapshotResult)

    def run_pipeline(self) -> c.PipelineRun:
        return self._post("/pipeline/runs", c.PipelineRun)

    # -- channel imports -----------------------------------------------------------------
    def import_orders(
        self, channel: str, file_name: str, frame: pl.DataFrame, dry_run: bool = False
    ) -> c.ImportSummary:
        """Send a parsed order file (canonical text columns) as Parquet; the server imports it set-based."""
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        response = self._request(
            "POST",
            f"/imports/{channel}",
            params={"file_name": file_name, "dry_run": str(dry_run).lower()},
            content=buffer.getvalue(),
            headers={"Content-Type": "application/vnd.apache.parquet"},
        )
        return c.ImportSummary.model_validate(response.json())

    def imports(self, limit: int = 50) -> list[c.ImportOut]:
        return self._get("/imports", list[c.ImportOut], limit=limit)

    def quarantined_rows(self, import_id: int) -> list[c.QuarantinedRow]:
        return self._get(f"/imports/{import_id}/quarantine", list[c.QuarantinedRow])


def _error_from(response: httpx.Response) -> ApiError:
    try:
        body = c.ErrorBody.model_validate(response.json())
    except ValueError:
        body = c.ErrorBody(code="http_error", message=response.text or response.reason_phrase)
    return _ERRORS.get(response.status_code, ApiError)(response.status_code, body)
