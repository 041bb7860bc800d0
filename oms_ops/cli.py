"""The `oms` command: run the server, the whole product, users and demo data."""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import sys

from oms_ops.settings import Settings


def serve(settings: Settings) -> None:
    import uvicorn

    from oms_ops.api.app import create_app

    # uvicorn shuts down gracefully, then re-raises the signal it caught: end with status 0 then.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")


def add_user(settings: Settings, name: str, roles: list[str], display_name: str | None) -> None:
    from oms_ops.client import OmsClient

    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
        if password != getpass.getpass("Again: "):
            sys.exit("The two passwords differ; nothing was changed.")
    else:
        password = sys.stdin.readline().rstrip("\n")
    with OmsClient(settings.base_url, token=settings.pipeline_api_key) as client:
        user = client.create_user(name, password, roles, display_name)
    print(f"Created user {user.username} with role(s) {', '.join(user.roles)}.")


def demo(settings: Settings, scale: float, seed: int) -> None:
    from oms_ops.client import OmsClient
    from oms_ops.demo import generate, load_demo

    with OmsClient(settings.base_url, token=settings.pipeline_api_key, timeout=600) as client:
        existing = client.list_orders(page_size=1).total_count
        if existing:
            sys.exit(f"oms: the server already holds {existing} orders; demo data loads only into an empty one.")
        data = generate(seed=seed, scale=scale)
        counts = load_demo(client, data, settings.demo_password)
    print(json.dumps(counts, indent=2, default=str))


def import_orders(settings: Settings, path: str, channel: str, dry_run: bool) -> None:
    """The same code path as the inbox sensor: parse with the channel's mapping, import set-based, print the summary."""
    from pathlib import Path

    from oms_ops.adapters.channels import UnreadableFile, import_file
    from oms_ops.client import OmsClient

    with OmsClient(settings.base_url, token=settings.pipeline_api_key, timeout=600) as client:
        try:
            summary = import_file(client, Path(path), channel, dry_run=dry_run, mappings=settings.data_dir / "mappings")
        except (UnreadableFile, OSError) as exc:
            sys.exit(f"oms: {exc}")
    print(json.dumps(summary.model_dump(), indent=2))


def load_master(settings: Settings, kind: str, path: str, mapping: str | None, dry_run: bool) -> None:
    """An ERP extract (customers, products, price-lists, stock-counts) through the sensor's path; prints the summary."""
    from pathlib import Path

    from oms_ops.adapters.erp import load_file
    from oms_ops.adapters.erp.read import UnreadableExtract
    from oms_ops.client import OmsClient
    from oms_ops.domain.errors import InvalidInput

    with OmsClient(settings.base_url, token=settings.pipeline_api_key, timeout=600) as client:
        try:
            summary = load_file(client, Path(path), kind, mapping, dry_run, mappings=settings.data_dir / "mappings")
        except (UnreadableExtract, InvalidInput, OSError) as exc:
            sys.exit(f"oms: {exc}")
    print(json.dumps(summary.model_dump(), indent=2))


def up(settings: Settings) -> None:
    from oms_ops.launcher import run_everything

    sys.exit(run_everything(settings))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="oms", description="B2B order management platform")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start server, Dagster and Streamlit with demo data; Ctrl-C stops all")
    commands.add_parser("serve", help="run the oms_ops API server in the foreground")
    user = commands.add_parser("user", help="manage user accounts").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="create a user (password from the terminal, or standard input)")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, dest="roles")
    add.add_argument("--display-name")
    demo_parser = commands.add_parser("demo", help="generate demo data and load it into the running server")
    demo_parser.add_argument("--scale", type=float, default=1.0)
    demo_parser.add_argument("--seed", type=int, default=7)
    import_parser = commands.add_parser("import", help="import a channel's order file (CSV or JSON Lines)")
    import_parser.add_argument("path")
    import_parser.add_argument("--channel", required=True)
    import_parser.add_argument("--dry-run", action="store_true", help="report what would happen, change nothing")
    master = commands.add_parser("load-master", help="load an ERP master data extract (CSV with a mapping)")
    master.add_argument("kind", choices=["customers", "products", "price-lists", "stock-counts"])
    master.add_argument("path")
    master.add_argument("--mapping", help="a mapping name (data/mappings/NAME.yaml or shipped); default: the kind's")
    master.add_argument("--dry-run", action="store_true", help="report what would happen, change nothing")
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        if args.command == "serve":
            serve(settings)
        elif args.command == "user":
            add_user(settings, args.name, args.roles, args.display_name)
        elif args.command == "demo":
            demo(settings, args.scale, args.seed)
        elif args.command == "import":
            import_orders(settings, args.path, args.channel, args.dry_run)
        elif args.command == "load-master":
            load_master(settings, args.kind, args.path, args.mapping, args.dry_run)
        elif args.command == "up":
            up(settings)
    except Exception as exc:
        from oms_ops.client import ApiError

        if isinstance(exc, ApiError):
            sys.exit(f"oms: {exc.message}")
        raise


if __name__ == "__main__":
    main()
