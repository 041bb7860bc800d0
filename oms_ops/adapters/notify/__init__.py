"""Notifications to the outside world: rendering outbox messages, and sending them by SMTP or HTTP."""
