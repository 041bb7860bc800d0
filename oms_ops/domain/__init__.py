"""Business rules with no I/O: roles, order lifecycle, pricing, stock arithmetic, named errors."""
