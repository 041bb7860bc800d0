"""Adapters for the outside world: each turns a foreign format into plain values the services take."""
