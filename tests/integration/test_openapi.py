import httpx


def test_the_api_documents_its_v1_endpoints_and_their_errors(server):
    schema = httpx.get(f"{server.base_url}/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/orders", "/api/v1/orders/{order_number}", "/api/v1/stock"):
        assert path in paths
    assert {"201", "409", "422"} <= set(paths["/api/v1/orders"]["post"]["responses"])
    assert "ErrorBody" in schema["components"]["schemas"]
