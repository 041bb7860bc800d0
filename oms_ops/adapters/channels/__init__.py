"""Channel feeds: CSV (canonical or mapped by a YAML file per channel) and JSON Lines order files.

See README.md here for the formats and the mapping file; parse.py documents the JSON Lines shape.
"""

from oms_ops.adapters.channels.feed import import_file
from oms_ops.adapters.channels.mapping import CANONICAL_COLUMNS, ChannelMapping, load_mapping
from oms_ops.adapters.channels.parse import UnreadableFile, read_orders
from oms_ops.adapters.channels.resubmit import corrected_rows, row_as_in_file

__all__ = [
    "CANONICAL_COLUMNS",
    "ChannelMapping",
    "UnreadableFile",
    "corrected_rows",
    "import_file",
    "load_mapping",
    "read_orders",
    "row_as_in_file",
]
