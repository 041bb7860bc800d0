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
from oms_ops import contracts_approvals as ca
from oms_ops import contracts_master_data as cm

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
        requested_delivery_date: date | None = None,
        customer_po: str | None = None,
    ) -> c.OrderOut:
        body = c.NewOrder(
            customer_code=customer_code,
            lines=[c.OrderLineIn.model_validate(line) for line in lines],
            channel=channel,
            external_ref=external_ref,
            note=note,
            requested_delivery_date=requested_delivery_date,
            customer_po=customer_po,
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
    ) -> c.ShipmentOut:
        """Ship {line_no: quantity}, or everything left to ship (from `warehouse` only, when given).

        Answers the shipment made (with the order's new status and units still to ship); get_order
        for the whole order."""
        shipped = [c.ShipmentLineIn(line_no=no, quantity=qty) for no, qty in (lines or {}).items()]
        body = c.ShipmentIn(lines=shipped, warehouse=warehouse, note=note)
        return self._post(f"/orders/{order_number}/shipments", c.ShipmentOut, body)

    def cancel_order(self, order_number: str, reason: str) -> c.OrderOut:
        return self._post(f"/orders/{order_number}/cancel", c.OrderOut, c.ReasonIn(reason=reason))

    def hold_order(self, order_number: str, reason: str) -> c.OrderOut:
        return self._post(f"/orders/{order_number}/hold", c.OrderOut, c.ReasonIn(reason=reason))

    def release_order(self, order_number: str, reason: str) -> c.OrderOut:
        return self._post(f"/orders/{order_number}/release", c.OrderOut, c.ReasonIn(reason=reason))

    # -- amendments and versions -----------------------------------------------------------
    def amend_order(
        self,
        order_number: str,
        lines: list[c.AmendLineIn] | list[dict[str, Any]] | None,
        reason: str,
        *,
        requested_delivery_date: date | None = None,
        note: str | None = None,
        customer_po: str | None = None,
        clear_requested_delivery_date: bool = False,
    ) -> c.OrderOut:
        """Make `lines` the order's lines as its next version (lines left out are removed; None keeps them all),
        and change the header fields given (an empty note or PO reference clears it)."""
        body = c.AmendmentIn(
            lines=None if lines is None else [c.AmendLineIn.model_validate(line) for line in lines],
            reason=reason,
            requested_delivery_date=requested_delivery_date,
            note=note,
            customer_po=customer_po,
            clear_requested_delivery_date=clear_requested_delivery_date,
        )
        return self._post(f"/orders/{order_number}/amendments", c.OrderOut, body)

    def order_version(self, order_number: str, version: int) -> c.OrderVersionOut:
        return self._get(f"/orders/{order_number}/versions/{version}", c.OrderVersionOut)

    # -- approvals and credit --------------------------------------------------------------
    def approval_inbox(self) -> list[ca.InboxItem]:
        """Requests waiting for the signed-in user: their roles, the current level, not their own orders."""
        return self._get("/approvals/inbox", list[ca.InboxItem])

    def approve(self, request_id: int, comment: str | None = None) -> c.OrderOut:
        return self._post(f"/approvals/{request_id}/approve", c.OrderOut, ca.DecisionIn(comment=comment))

    def reject(self, request_id: int, comment: str) -> c.OrderOut:
        """Reject with a comment (required): the order is cancelled and its stock released."""
        return self._post(f"/approvals/{request_id}/reject", c.OrderOut, ca.DecisionIn(comment=comment))

    def approval_rules(self) -> list[ca.RuleOut]:
        return self._get("/approval-rules", list[ca.RuleOut])

    def create_approval_rule(self, rule: ca.RuleIn | dict[str, Any]) -> ca.RuleOut:
        return self._post("/approval-rules", ca.RuleOut, ca.RuleIn.model_validate(rule))

    def update_approval_rule(self, rule_id: int, rule: ca.RuleIn | dict[str, Any]) -> ca.RuleOut:
        body = ca.RuleIn.model_validate(rule).model_dump(mode="json")
        return ca.RuleOut.model_validate(self._request("PUT", f"/approval-rules/{rule_id}", json=body).json())

    def customer_credit(self, customer_code: str) -> ca.CustomerCredit:
        return self._get(f"/customers/{customer_code}/credit", ca.CustomerCredit)

    def credit_holds(self) -> list[ca.CreditHold]:
        return self._get("/credit/holds", list[ca.CreditHold])

    def override_credit(self, order_number: str, reason: str) -> c.OrderOut:
        """Finance lets an order on hold go on despite the credit limit; the reason is logged."""
        return self._post(f"/orders/{order_number}/credit-override", c.OrderOut, c.ReasonIn(reason=reason))

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

    # -- stock operations ----------------------------------------------------------------
    def stock_positions(self, sku: str | None = None, warehouse: str | None = None) -> list[c.StockPositionOut]:
        return self._get("/stock/positions", list[c.StockPositionOut], sku=sku, warehouse=warehouse)

    def adjust_stock(
        self, warehouse: str, sku: str, change: int, reason: str, note: str | None = None
    ) -> c.StockPositionOut:
        body = c.AdjustmentIn(warehouse=warehouse, sku=sku, change=change, reason=reason, note=note)
        return self._post("/stock/adjustments", c.StockPositionOut, body)

    def set_stock_policy(
        self, warehouse: str, sku: str, safety_stock: int, reorder_point: int, lead_time_days: int = 7
    ) -> c.StockPositionOut:
        body = c.StockPolicyIn(
            warehouse=warehouse,
            sku=sku,
            safety_stock=safety_stock,
            reorder_point=reorder_point,
            lead_time_days=lead_time_days,
        )
        return c.StockPositionOut.model_validate(
            self._request("PUT", "/stock/policies", json=body.model_dump(mode="json")).json()
        )

    def stock_alerts(self, open_only: bool = True, warehouse: str | None = None) -> list[c.StockAlertOut]:
        return self._get("/stock/alerts", list[c.StockAlertOut], open_only=open_only, warehouse=warehouse)

    def available_to_promise(self, sku: str, quantity: int = 1, customer_code: str | None = None) -> c.AtpOut:
        return self._get("/stock/atp", c.AtpOut, sku=sku, quantity=quantity, customer_code=customer_code)

    def request_transfer(
        self,
        from_warehouse: str,
        to_warehouse: str,
        lines: Mapping[str, int],
        expected_arrival: date,
        note: str | None = None,
    ) -> c.TransferOut:
        body = c.TransferIn(
            from_warehouse=from_warehouse,
            to_warehouse=to_warehouse,
            expected_arrival=expected_arrival,
            lines=[c.TransferLineIn(sku=sku, quantity=qty) for sku, qty in lines.items()],
            note=note,
        )
        return self._post("/stock/transfers", c.TransferOut, body)

    def transfers(self, statuses: list[str] | None = None) -> list[c.TransferOut]:
        return self._get("/stock/transfers", list[c.TransferOut], status=statuses)

    def transfer(self, transfer_id: int) -> c.TransferOut:
        return self._get(f"/stock/transfers/{transfer_id}", c.TransferOut)

    def ship_transfer(self, transfer_id: int) -> c.TransferOut:
        return self._post(f"/stock/transfers/{transfer_id}/ship", c.TransferOut)

    def receive_transfer(self, transfer_id: int, lines: Mapping[str, int] | None = None) -> c.TransferOut:
        """Receive (sku -> units) of a transfer in transit; none means all still on its way."""
        received = [c.TransferLineIn(sku=sku, quantity=qty) for sku, qty in (lines or {}).items()]
        body = c.TransferReceiptIn(lines=received)
        return self._post(f"/stock/transfers/{transfer_id}/receive", c.TransferOut, body)

    def cancel_transfer(self, transfer_id: int) -> c.TransferOut:
        return self._post(f"/stock/transfers/{transfer_id}/cancel", c.TransferOut)

    def add_expected_receipt(
        self, warehouse: str, sku: str, quantity: int, expected_on: date, reference: str | None = None
    ) -> c.ExpectedReceiptOut:
        body = c.ExpectedReceiptIn(
            warehouse=warehouse, sku=sku, quantity=quantity, expected_on=expected_on, reference=reference
        )
        return self._post("/stock/expected-receipts", c.ExpectedReceiptOut, body)

    def expected_receipts(
        self, status: str | None = "open", warehouse: str | None = None, sku: str | None = None
    ) -> list[c.ExpectedReceiptOut]:
        return self._get(
            "/stock/expected-receipts", list[c.ExpectedReceiptOut], status=status or "", warehouse=warehouse, sku=sku
        )

    def change_expected_receipt(
        self,
        receipt_id: int,
        quantity: int | None = None,
        expected_on: date | None = None,
        reference: str | None = None,
    ) -> c.ExpectedReceiptOut:
        body = c.ExpectedReceiptChange(quantity=quantity, expected_on=expected_on, reference=reference)
        response = self._request("PATCH", f"/stock/expected-receipts/{receipt_id}", json=body.model_dump(mode="json"))
        return c.ExpectedReceiptOut.model_validate(response.json())

    def cancel_expected_receipt(self, receipt_id: int) -> c.ExpectedReceiptOut:
        return self._post(f"/stock/expected-receipts/{receipt_id}/cancel", c.ExpectedReceiptOut)

    def receive_expected(self, receipt_id: int, quantity: int | None = None) -> c.ExpectedReceiptOut:
        body = c.ReceiveAgainstIn(quantity=quantity)
        return self._post(f"/stock/expected-receipts/{receipt_id}/receive", c.ExpectedReceiptOut, body)

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

    # -- planning write-back ---------------------------------------------------------------
    def put_customer_tiers(
        self, tiers: Mapping[str, str], as_of: datetime, source: str = "rfm"
    ) -> c.CustomerTiersResult:
        """Set {customer_code: tier} in one transaction; changes are kept in the tier history (system/admin)."""
        body = c.CustomerTiersIn(
            as_of=as_of,
            source=source,
            tiers=[c.CustomerTierIn(customer_code=code, tier=tier) for code, tier in tiers.items()],
        )
        response = self._request("PUT", "/planning/customer-tiers", json=body.model_dump(mode="json"))
        return c.CustomerTiersResult.model_validate(response.json())

    def put_reorder_suggestions(
        self, suggestions: list[c.ReorderSuggestionIn] | list[dict[str, Any]], as_of: datetime
    ) -> c.ReorderSuggestionsResult:
        """Replace the whole set of reorder suggestions, atomically (system/admin)."""
        body = c.ReorderSuggestionsIn(
            as_of=as_of, suggestions=[c.ReorderSuggestionIn.model_validate(row) for row in suggestions]
        )
        response = self._request("PUT", "/planning/reorder-suggestions", json=body.model_dump(mode="json"))
        return c.ReorderSuggestionsResult.model_validate(response.json())

    def list_reorder_suggestions(self, warehouse: str | None = None) -> list[c.ReorderSuggestionOut]:
        """The current reorder suggestions from the last write-back, of one warehouse or all."""
        return self._get("/planning/reorder-suggestions", list[c.ReorderSuggestionOut], warehouse=warehouse)

    def customer_tier_history(self, customer_code: str) -> list[c.TierChangeOut]:
        """Every tier change of one customer, oldest first, with its source and the as-of time of its data."""
        return self._get(f"/planning/customer-tiers/{customer_code}/history", list[c.TierChangeOut])

    # -- channel imports -----------------------------------------------------------------
    def import_orders(
        self,
        channel: str,
        file_name: str,
        frame: pl.DataFrame,
        dry_run: bool = False,
        on_shortage: str = "quarantine",
    ) -> c.ImportSummary:
        """Send a parsed order file (canonical text columns) as Parquet; the server imports it set-based."""
        buffer = io.BytesIO()
        # lz4 without column statistics: ~2x faster to write and read than the default zstd, 1.7x larger
        frame.write_parquet(buffer, compression="lz4", statistics=False)
        response = self._request(
            "POST",
            f"/imports/{channel}",
            params={"file_name": file_name, "dry_run": str(dry_run).lower(), "on_shortage": on_shortage},
            content=buffer.getvalue(),
            headers={"Content-Type": "application/vnd.apache.parquet"},
        )
        return c.ImportSummary.model_validate(response.json())

    def resubmit_rows(self, import_id: int, frame: pl.DataFrame, dry_run: bool = False) -> c.ImportSummary:
        """Send corrected quarantined rows of an import (canonical columns and their `row_no`) to import again."""
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        response = self._request(
            "POST",
            f"/imports/{import_id}/resubmit",
            params={"dry_run": str(dry_run).lower()},
            content=buffer.getvalue(),
            headers={"Content-Type": "application/vnd.apache.parquet"},
        )
        return c.ImportSummary.model_validate(response.json())

    def fill_backorders(self) -> c.BackordersFilled:
        """Reserve and move on the imported orders waiting for stock that stock now allows."""
        return c.BackordersFilled.model_validate(self._request("POST", "/backorders/fill").json())

    def imports(self, limit: int = 50) -> list[c.ImportOut]:
        return self._get("/imports", list[c.ImportOut], limit=limit)

    def quarantined_rows(self, import_id: int) -> list[c.QuarantinedRow]:
        return self._get(f"/imports/{import_id}/quarantine", list[c.QuarantinedRow])

    # -- ERP master data -----------------------------------------------------------------
    def load_master_data(
        self, kind: str, file_name: str, frame: pl.DataFrame, dry_run: bool = False
    ) -> cm.MasterDataSummary:
        """Send a parsed ERP extract (customers, products, price-lists, stock-counts) as Parquet (admin/system)."""
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        response = self._request(
            "POST",
            f"/master-data/{kind}",
            params={"file_name": file_name, "dry_run": str(dry_run).lower()},
            content=buffer.getvalue(),
            headers={"Content-Type": "application/vnd.apache.parquet"},
        )
        return cm.MasterDataSummary.model_validate(response.json())

    def master_data_loads(self, limit: int = 50) -> list[cm.MasterDataLoadOut]:
        return self._get("/master-data/loads", list[cm.MasterDataLoadOut], limit=limit)

    def master_data_quarantine(self, load_id: int) -> list[cm.MasterDataQuarantined]:
        return self._get(f"/master-data/loads/{load_id}/quarantine", list[cm.MasterDataQuarantined])

    def identify(self, glns: list[str], gtins: list[str]) -> cm.Identified:
        """Customer codes by GLN and SKUs by GTIN, for those known."""
        return self._post("/master-data/identify", cm.Identified, cm.IdentifyIn(glns=glns, gtins=gtins))

    def customer_prices(self, customer_code: str, skus: list[str], on_date: date | None = None) -> cm.CustomerPrices:
        """The customer's price-list prices by SKU (a SKU without one sells at its list price)."""
        day = on_date.isoformat() if on_date else None
        return self._get(f"/customers/{customer_code}/prices", cm.CustomerPrices, sku=skus, on_date=day)

    # -- payments ledger and outbox ------------------------------------------------------
    def payments(
        self,
        date_from: date | None = None,
        date_to: date | None = None,
        method: str | None = None,
        customer_code: str | None = None,
        order_number: str | None = None,
        limit: int = 1000,
    ) -> list[c.PaymentRow]:
        """Payments, newest first, narrowed by date paid, method, customer and order (finance, manager, admin)."""
        return self._get(
            "/payments",
            list[c.PaymentRow],
            date_from=date_from,
            date_to=date_to,
            method=method,
            customer_code=customer_code,
            order_number=order_number,
            limit=limit,
        )

    def refunds(self, status: str | None = "due", limit: int = 1000) -> list[c.RefundRow]:
        """Refunds owed back to customers (status 'due'), or all of them (status None)."""
        return self._get("/refunds", list[c.RefundRow], status=status or "", limit=limit)

    def outbox(self, status: str | None = None, topic: str | None = None, limit: int = 200) -> list[c.OutboxMessageOut]:
        """Outgoing messages, newest first, with their delivery status (admin)."""
        return self._get("/outbox", list[c.OutboxMessageOut], status=status, topic=topic, limit=limit)

    def retry_outbox_message(self, message_id: int) -> c.OutboxMessageOut:
        return self._post(f"/outbox/{message_id}/retry", c.OutboxMessageOut)

    def set_contact(self, username: str, email: str | None = None, phone: str | None = None) -> c.ContactOut:
        """Where a user's role messages (e.g. safety-stock alerts to role:warehouse) reach them (admin)."""
        body = c.ContactIn(email=email, phone=phone)
        response = self._request("PUT", f"/users/{username}/contact", json=body.model_dump(mode="json"))
        return c.ContactOut.model_validate(response.json())


def _error_from(response: httpx.Response) -> ApiError:
    try:
        body = c.ErrorBody.model_validate(response.json())
    except ValueError:
        body = c.ErrorBody(code="http_error", message=response.text or response.reason_phrase)
    return _ERRORS.get(response.status_code, ApiError)(response.status_code, body)
