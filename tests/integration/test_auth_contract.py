"""Sign in, sign out, and who may do what: status codes and JSON shapes of the v1 API."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD
from tests.integration.shop import call, login_token, stock_of

ORDER = {"customer_code": "C-NORTH", "lines": [{"sku": "BOLT-M8", "quantity": 1, "warehouse": "SH"}]}


def test_login_answers_200_with_a_token_and_the_user_and_roles(shared_shop):
    response = call(shared_shop, "POST", "/auth/login", json={"username": "sales", "password": TEST_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "user"}
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    assert body["user"]["username"] == "sales"
    assert body["user"]["roles"] == ["sales"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("sales", "wrong-password-1"), ("nobody-here", TEST_PASSWORD), ("sales", "")],
    ids=["wrong password", "unknown user", "empty password"],
)
def test_login_with_bad_credentials_answers_401_without_saying_which_part_was_wrong(shared_shop, username, password):
    response = call(shared_shop, "POST", "/auth/login", json={"username": username, "password": password})
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"] == "Unknown user name or wrong password."
    assert "token" not in body


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/orders"), ("POST", "/orders"), ("GET", "/stock"), ("GET", "/customers"), ("GET", "/auth/me")],
)
def test_a_call_without_a_token_answers_401(shared_shop, method, path):
    response = call(shared_shop, method, path, json=ORDER if method == "POST" else None)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_made_up_token_answers_401(shared_shop):
    response = call(shared_shop, "GET", "/orders", token="not-a-real-session-token")
    assert response.status_code == 401


def test_health_answers_without_a_token(shared_shop):
    response = call(shared_shop, "GET", "/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_warehouse_clerk_may_not_place_an_order_and_nothing_is_reserved(shared_shop):
    before = stock_of(shared_shop)
    response = call(shared_shop, "POST", "/orders", token=login_token(shared_shop, "warehouse"), json=ORDER)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "place orders" in response.json()["message"]
    assert stock_of(shared_shop) == before


def test_a_sales_rep_may_not_receive_stock(shared_shop):
    before = stock_of(shared_shop)
    body = {"warehouse": "SH", "sku": "BOLT-M8", "quantity": 10}
    response = call(shared_shop, "POST", "/stock/receipts", token=login_token(shared_shop, "sales"), json=body)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert stock_of(shared_shop) == before


def test_a_sales_rep_may_not_create_a_user(shared_shop):
    body = {"username": "intruder", "password": "long-enough-1", "roles": ["admin"]}
    response = call(shared_shop, "POST", "/users", token=login_token(shared_shop, "sales"), json=body)
    assert response.status_code == 403
    login = call(shared_shop, "POST", "/auth/login", json={"username": "intruder", "password": "long-enough-1"})
    assert login.status_code == 401


def test_an_analyst_may_not_bulk_load(shared_shop):
    response = call(
        shared_shop,
        "POST",
        "/bulk/warehouses",
        token=login_token(shared_shop, "analyst"),
        content=b"PAR1",
        headers={"Content-Type": "application/vnd.apache.parquet"},
    )
    assert response.status_code == 403


def test_an_admin_creates_a_user_who_can_then_sign_in(shared_shop):
    body = {"username": "zhang.min", "password": "long-enough-2", "roles": ["sales", "finance"]}
    response = call(shared_shop, "POST", "/users", token=login_token(shared_shop, "admin"), json=body)
    assert response.status_code == 201
    assert response.json()["roles"] == ["sales", "finance"]
    assert "password" not in response.text
    login = call(shared_shop, "POST", "/auth/login", json={"username": "zhang.min", "password": "long-enough-2"})
    assert login.json()["user"]["roles"] == ["sales", "finance"]


def test_logout_makes_the_token_useless(shared_shop):
    token = login_token(shared_shop, "manager")
    assert call(shared_shop, "GET", "/auth/me", token=token).json()["username"] == "manager"
    assert call(shared_shop, "POST", "/auth/logout", token=token).status_code == 204
    assert call(shared_shop, "GET", "/auth/me", token=token).status_code == 401
    assert call(shared_shop, "POST", "/orders", token=token, json=ORDER).status_code == 401


def test_logout_ends_only_that_session(shared_shop):
    first, second = login_token(shared_shop, "sales"), login_token(shared_shop, "sales")
    assert call(shared_shop, "POST", "/auth/logout", token=first).status_code == 204
    assert call(shared_shop, "GET", "/auth/me", token=second).status_code == 200
