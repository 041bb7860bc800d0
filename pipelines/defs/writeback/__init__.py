"""Write-back of planning data from the published marts into operations (the oms_ops server)."""
