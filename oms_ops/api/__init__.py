"""HTTP entry point: FastAPI routers that turn requests into service calls and errors into answers."""
