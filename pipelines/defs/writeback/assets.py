"""The write-back asset: after each publish, send the computed tiers and reorder suggestions to the server."""

import dagster as dg
from dagster import AssetExecutionContext

from pipelines.defs.oms.resources import DataFolderResource, OmsResource
from pipelines.defs.publish.assets import marts_publish
from pipelines.defs.writeback.planning import read_planning

WRITEBACK_GROUP = "writeback"


@dg.asset(deps=[marts_publish], group_name=WRITEBACK_GROUP, kinds={"python"})
def planning_writeback(
    context: AssetExecutionContext, oms: OmsResource, data_folder: DataFolderResource
) -> dg.MaterializeResult:
    """Customer tiers (RFM + lifetime value) and reorder suggestions from marts.duckdb, written to operations
    through the server's API (the server alone writes oms.duckdb)."""
    as_of, tiers, suggestions = read_planning(data_folder.marts_db)
    with oms.client() as client:
        tiers_result = client.put_customer_tiers(tiers, as_of=as_of, source="rfm")
        suggestions_result = client.put_reorder_suggestions(suggestions, as_of=as_of)
    context.log.info("Tiers: %s; reorder suggestions: %s", tiers_result, suggestions_result)
    return dg.MaterializeResult(
        metadata={
            "as_of": dg.MetadataValue.timestamp(as_of),
            "tiers_sent": tiers_result.received,
            "tiers_changed": tiers_result.changed,
            "suggestions_sent": suggestions_result.received,
            "suggestions_added": suggestions_result.added,
            "suggestions_removed": suggestions_result.removed,
            "suggestions_updated": suggestions_result.updated,
        }
    )
