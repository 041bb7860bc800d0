"""Use cases, one function per business verb. Each takes the acting user and plain values,
checks permission, runs in one transaction and returns plain values."""
