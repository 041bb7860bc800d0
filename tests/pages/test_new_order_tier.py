from tests.conftest import RunningServer
from tests.pages.conftest import page, signed_in


def test_the_desk_sees_the_tier_of_the_chosen_customer(shop: RunningServer) -> None:
    at = signed_in(page("new_order"), shop, "sales").run()

    at.selectbox(key="new_order_customer").select("C-ACME").run()

    assert not at.exception
    assert any(caption.value.startswith("Tier: gold") for caption in at.caption)
