"""Importing one inbox file: parse it with the channel's mapping, send it to the server, move it aside."""

from pathlib import Path

import dagster as dg

from oms_ops.adapters.channels import UnreadableFile, import_file
from oms_ops.client import ApiError, InvalidInput
from pipelines.defs.ingest.inbox import FAILED, PROCESSED, move_to
from pipelines.defs.oms.resources import DataFolderResource, OmsResource


class ImportFileConfig(dg.Config):
    path: str
    channel: str


def imports_key(channel: str) -> dg.AssetKey:
    return dg.AssetKey(["imports", channel])


@dg.op
def import_order_file(
    context: dg.OpExecutionContext, config: ImportFileConfig, oms: OmsResource, data_folder: DataFolderResource
) -> dg.Output[dict[str, object]]:
    """Import one channel file; every row ends up created, duplicate or quarantined (the summary says how many)."""
    path = Path(config.path)
    try:
        with oms.client() as client:
            summary = import_file(client, path, config.channel, mappings=data_folder.path / "mappings")
    except (UnreadableFile, InvalidInput) as exc:  # the whole file is refused: keep it for a person to look at
        moved = move_to(path, FAILED)
        reason = exc.message if isinstance(exc, ApiError) else str(exc)
        raise dg.Failure(
            description=f"{path.name} was refused: {reason}",
            metadata={"file": path.name, "reason": reason, "moved_to": dg.MetadataValue.path(str(moved))},
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
