"""Sending one rendered message: email over SMTP, SMS and webhooks as JSON over HTTP POST.

With no SMTP host / SMS URL / webhook URL configured, the message is written as a file into the mail
folder instead (`<id>.eml`, `<id>.sms.json`, `<id>.webhook.json`), so a local run shows what was sent.
Every message carries its outbox id (Message-ID, Idempotency-Key) so a receiver can drop a repeat.
"""

from __future__ import annotations

import json
import os
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx

from oms_ops.adapters.notify.render import Rendered

TIMEOUT_SECONDS = 10.0


class Undeliverable(Exception):
    """Trying again will not help (no address to send to): the message becomes a dead letter at once."""


@dataclass(frozen=True)
class Outgoing:
    message_id: int
    topic: str
    channel: str
    addresses: Sequence[str]
    rendered: Rendered
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class Transport:
    mail_dir: Path
    mail_from: str
    smtp_host: str | None = None
    smtp_port: int = 25
    sms_url: str | None = None
    webhook_url: str | None = None

    def send(self, message: Outgoing) -> None:
        if message.channel == "email":
            self._email(message)
        elif message.channel == "sms":
            self._sms(message)
        elif message.channel == "webhook":
            self._webhook(message)
        else:
            raise Undeliverable(f"unknown channel {message.channel!r}")

    def _email(self, message: Outgoing) -> None:
        if not message.addresses:
            raise Undeliverable("no email address to send to")
        mail = email_of(message, self.mail_from)
        if self.smtp_host is None:
            self._drop(f"{message.message_id:08d}.eml", mail.as_bytes())
            return
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.send_message(mail)

    def _sms(self, message: Outgoing) -> None:
        if not message.addresses:
            raise Undeliverable("no phone number to send to")
        body = {"to": list(message.addresses), "text": message.rendered.short, "id": message.message_id}
        self._post(self.sms_url, f"{message.message_id:08d}.sms.json", message.message_id, body)

    def _webhook(self, message: Outgoing) -> None:
        body = {
            "id": message.message_id,
            "topic": message.topic,
            "recipients": list(message.addresses),
            "payload": message.payload,
            "created_at": message.created_at.isoformat(),
        }
        self._post(self.webhook_url, f"{message.message_id:08d}.webhook.json", message.message_id, body)

    def _post(self, url: str | None, file_name: str, message_id: int, body: dict[str, Any]) -> None:
        if url is None:
            self._drop(file_name, json.dumps(body, ensure_ascii=False, indent=2).encode())
            return
        headers = {"Idempotency-Key": f"oms-outbox-{message_id}"}
        response = httpx.post(url, json=body, headers=headers, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()

    def _drop(self, file_name: str, content: bytes) -> None:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.mail_dir / f".{file_name}.tmp"
        temporary.write_bytes(content)
        os.replace(temporary, self.mail_dir / file_name)


def email_of(message: Outgoing, mail_from: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = mail_from
    mail["To"] = ", ".join(message.addresses)
    mail["Subject"] = message.rendered.subject
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = f"<oms-outbox-{message.message_id}@{mail_from.rpartition('@')[2] or 'oms.local'}>"
    mail["X-OMS-Topic"] = message.topic
    mail.set_content(message.rendered.body)
    return mail
