"""Snapshot of the oms tables into the lake."""
