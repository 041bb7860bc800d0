"""ERP master data extracts (customers, products, price lists, stock counts): CSV read with a YAML mapping.

See README.md here for the columns of each kind and the mapping file.
"""

from oms_ops.adapters.erp.load import KIND_FOLDERS, kind_of_folder, load_file
from oms_ops.adapters.erp.mapping import ErpMapping, load_mapping
from oms_ops.adapters.erp.read import read_extract

__all__ = ["KIND_FOLDERS", "ErpMapping", "kind_of_folder", "load_file", "load_mapping", "read_extract"]
