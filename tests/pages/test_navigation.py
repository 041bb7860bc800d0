import pytest

from dashboards.lib.navigation import pages_by_group


def titles(role: str) -> dict[str, list[str]]:
    return {group: [page.title for page in pages] for group, pages in pages_by_group([role]).items()}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("sales", {"Ops": ["New order", "Orders", "Warehouse stock", "Customer credit"]}),
        ("warehouse", {"Ops": ["Orders", "Warehouse stock"], "Decisions": ["Inventory"]}),
        ("finance", {"Ops": ["Orders", "Approvals", "Payments", "Customer credit"], "Decisions": ["Sales"]}),
        ("analyst", {"Ops": ["Orders"], "Decisions": ["Sales", "Inventory", "Customers"]}),
        (
            "manager",
            {
                "Ops": ["New order", "Orders", "Approvals", "Warehouse stock", "Payments", "Customer credit"],
                "Decisions": ["Sales", "Inventory", "Customers"],
            },
        ),
        (
            "admin",
            {
                "Ops": [
                    "New order",
                    "Orders",
                    "Approvals",
                    "Warehouse stock",
                    "Payments",
                    "Customer credit",
                    "Imports",
                ],
                "Decisions": ["Sales", "Inventory", "Customers"],
                "Admin": ["Approval rules", "Outbox"],
            },
        ),
    ],
)
def test_each_role_sees_its_pages_grouped_ops_then_decisions(role: str, expected: dict[str, list[str]]) -> None:
    assert titles(role) == expected


def test_several_roles_see_the_union_of_their_pages() -> None:
    assert [p.title for ps in pages_by_group(["warehouse", "analyst"]).values() for p in ps] == [
        "Orders",
        "Warehouse stock",
        "Sales",
        "Inventory",
        "Customers",
    ]
