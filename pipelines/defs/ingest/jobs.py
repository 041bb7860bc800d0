"""Importing one inbox file: parse it with the channel's mapping, send it to the server, move it aside."""

from pathlib import Path

import dagster as dg
from pydantic import BaseModel

from oms_ops.adapters.channels import UnreadableFile, import_file
from oms_ops.adapters.erp import kind_of_folder, load_file
from oms_ops.adapters.erp.read import UnreadableExtract
from oms_ops.client import ApiError, InvalidInput
from oms_ops.domain.errors import InvalidInput as DomainInvalidInput
from pipelines.defs.ingest.inbox import FAILED, PROCESSED, move_to
from pipelines.defs.oms.resources import DataFolderResource, OmsResource


class ImportFileConfig(dg.Config):
    path: str
    channel: str


def imports_key(channel: str) -> dg.AssetKey:
    return dg.AssetKey(["imports", channel])


@dg.op(retry_policy=dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL))
def import_order_file(
    context: dg.OpExecutionContext, config: ImportFileConfig, oms: OmsResource, data_folder: DataFolderResource
) -> dg.Output[dict[str, object]]:
    """Import one channel file; every row ends up created, duplicate or quarantined (the summary says how many)."""
    path = Path(config.path)
    try:
        with oms.client() as client:
            kind = kind_of_folder(config.channel)  # inbox/erp_customers/ etc. hold ERP master data
            if kind:
                summary: BaseModel = load_file(
                    client, path, kind, config.channel, mappings=data_folder.path / "mappings"
                )
            else:
                summary = import_file(client, path, config.channel, mappings=data_folder.path / "mappings")
    except (
        UnreadableFile,
        UnreadableExtract,
        InvalidInput,
        DomainInvalidInput,
    ) as exc:  # the whole file is refused: keep it for a person to look at
        moved = move_to(path, FAILED)
        reason = exc.message if isinstance(exc, ApiError) else str(exc)
        raise dg.Failure(
            description=f"{path.name} was refused: {reason}",
            metadata={"file": path.name, "reason": reason, "moved_to": dg.MetadataValue.path(str(moved))},
            allow_retries=False,
        ) from exc
    moved = move_to(path, PROCESSED)
    metadata = {**summary.model_dump(exclude={"dry_run"}), "moved_to": dg.MetadataValue.path(str(moved))}
    context.log_event(dg.AssetMaterialization(asset_key=imports_key(config.channel), metadata=metadata))
    context.log.info("Imported %s: %s", path.name, summary.model_dump_json())
    return dg.Output(summary.model_dump(mode="json"), metadata=metadata)


@dg.job(
    name="import_channel_file",
    description="Import one file from a channel's inbox folder (started by the inbox sensor).",
)
def import_channel_file_job() -> None:
    import_order_file()
