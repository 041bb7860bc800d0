"""Planning write-back through the API: customer tiers with their history, reorder suggestions as one set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oms_ops.client import Forbidden, InvalidInput
from tests.conftest import RunningServer

AS_OF = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)


def tiers_of(shop: RunningServer) -> dict[str, str]:
    with shop.system_client() as system:
        return {customer.customer_code: customer.tier for customer in system.customers(limit=100)}


def test_a_computed_tier_changes_the_customer_and_is_kept_in_its_history(shop: RunningServer):
    with shop.system_client() as system:
        result = system.put_customer_tiers({"C-ACME": "gold", "C-NORTH": "standard"}, as_of=AS_OF)
        history = system.customer_tier_history("C-ACME")

    assert (result.received, result.changed, result.unchanged) == (2, 1, 1)  # C-NORTH was standard already
    assert tiers_of(shop)["C-ACME"] == "gold"
    assert [(h.from_tier, h.to_tier, h.source, h.as_of, h.actor) for h in history] == [
        ("standard", "gold", "rfm", AS_OF, "system")
    ]


def test_sending_the_same_tiers_again_changes_nothing(shop: RunningServer):
    with shop.system_client() as system:
        system.put_customer_tiers({"C-NORTH": "gold"}, as_of=AS_OF)
        again = system.put_customer_tiers({"C-NORTH": "gold"}, as_of=LATER)
        history = system.customer_tier_history("C-NORTH")

    assert (again.changed, again.unchanged) == (0, 1)
    assert len(history) == 1


def test_an_unknown_customer_rejects_the_whole_batch(shop: RunningServer):
    before = tiers_of(shop)
    with shop.system_client() as system, pytest.raises(InvalidInput) as error:
        system.put_customer_tiers({"C-HUAXIN": "key", "C-GHOST": "gold"}, as_of=AS_OF)

    assert error.value.field == "customer_code"
    assert "C-GHOST" in error.value.message
    assert tiers_of(shop) == before


def test_a_tier_outside_the_known_ones_is_refused(shop: RunningServer):
    with shop.system_client() as system, pytest.raises(InvalidInput) as error:
        system.put_customer_tiers({"C-HUAXIN": "platinum"}, as_of=AS_OF)

    assert error.value.field == "tier"


def test_people_other_than_admins_may_not_write_planning_data(shop: RunningServer):
    for role in ("sales", "warehouse", "finance", "manager", "analyst"):
        with shop.client_as(role) as person:
            with pytest.raises(Forbidden):
                person.put_customer_tiers({"C-HUAXIN": "key"}, as_of=AS_OF)
            with pytest.raises(Forbidden):
                person.put_reorder_suggestions([{"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 5}], AS_OF)


def test_an_admin_may_write_planning_data(shop: RunningServer):
    with shop.client_as("admin") as admin:
        admin.put_customer_tiers({"C-HUAXIN": "silver"}, as_of=AS_OF)
        assert admin.put_customer_tiers({"C-HUAXIN": "gold"}, as_of=AS_OF).changed == 1


def test_a_new_suggestion_set_replaces_the_previous_one(shop: RunningServer):
    first = [
        {"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 500, "days_of_supply": "3.5", "reason": "low"},
        {"warehouse": "SH", "sku": "CABLE-CAT6", "suggested_qty": 10, "days_of_supply": "1.0"},
    ]
    second = [
        {"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 600, "days_of_supply": "2.5", "reason": "lower"},
        {"warehouse": "GZ", "sku": "LAMP-LED-9W", "suggested_qty": 40, "days_of_supply": "4.0"},
    ]
    with shop.system_client() as system:
        system.put_reorder_suggestions(first, as_of=AS_OF)
        result = system.put_reorder_suggestions(second, as_of=LATER)
        current = system.list_reorder_suggestions()

    assert (result.received, result.added, result.removed, result.updated) == (2, 1, 1, 1)
    assert [(s.warehouse, s.sku, s.suggested_qty, s.as_of) for s in current] == [
        ("GZ", "LAMP-LED-9W", 40, LATER),
        ("SH", "BOLT-M8", 600, LATER),
    ]
    assert current[1].product_name == "Hex bolt M8 zinc"


def test_sending_the_same_suggestions_again_reports_no_change(shop: RunningServer):
    rows = [{"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 500, "days_of_supply": "3.5"}]
    with shop.system_client() as system:
        system.put_reorder_suggestions(rows, as_of=AS_OF)
        again = system.put_reorder_suggestions(rows, as_of=LATER)

    assert (again.added, again.removed, again.updated) == (0, 0, 0)


def test_suggestions_can_be_listed_for_one_warehouse(shop: RunningServer):
    rows = [
        {"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 500},
        {"warehouse": "GZ", "sku": "LAMP-LED-9W", "suggested_qty": 40},
    ]
    with shop.system_client() as system:
        system.put_reorder_suggestions(rows, as_of=AS_OF)
    with shop.client_as("warehouse") as warehouse:
        assert [(s.warehouse, s.sku) for s in warehouse.list_reorder_suggestions(warehouse="GZ")] == [
            ("GZ", "LAMP-LED-9W")
        ]


def test_an_unknown_sku_rejects_the_set_and_keeps_the_previous_one(shop: RunningServer):
    with shop.system_client() as system:
        system.put_reorder_suggestions([{"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 500}], as_of=AS_OF)
        with pytest.raises(InvalidInput) as error:
            system.put_reorder_suggestions(
                [
                    {"warehouse": "SH", "sku": "CABLE-CAT6", "suggested_qty": 5},
                    {"warehouse": "SH", "sku": "NO-SUCH-SKU", "suggested_qty": 5},
                ],
                as_of=LATER,
            )
        current = system.list_reorder_suggestions()

    assert error.value.field == "sku"
    assert [(s.sku, s.suggested_qty) for s in current] == [("BOLT-M8", 500)]


def test_the_same_location_twice_in_one_set_is_refused(shop: RunningServer):
    rows = [
        {"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 500},
        {"warehouse": "SH", "sku": "BOLT-M8", "suggested_qty": 5},
    ]
    with shop.system_client() as system, pytest.raises(InvalidInput) as error:
        system.put_reorder_suggestions(rows, as_of=AS_OF)

    assert "more than once" in error.value.message
