"""What an outbox message says: a subject and a body in English and Chinese, from its topic and payload.

Templates are `string.Template`s (no template engine needed for a handful of fixed texts); a topic
without a template of its own is sent with its payload as indented JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from string import Template
from typing import Any


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str

    @property
    def short(self) -> str:
        """For an SMS: the subject alone."""
        return self.subject


@dataclass(frozen=True)
class MessageTemplate:
    subject: Template
    body: Template


SIGNATURE = "\n--\nOMS order desk / 订单服务台\n"

TEMPLATES: dict[str, MessageTemplate] = {
    "order_cancelled": MessageTemplate(
        Template("Order ${order_number} cancelled / 订单 ${order_number} 已取消"),
        Template(
            "Dear customer,\n\n"
            "your order ${order_number} has been cancelled. Reason: ${reason}\n"
            "Units cancelled: ${units_cancelled}. Units already shipped: ${units_shipped}.\n"
            "Refund due to you: ${refund_due}.\n\n"
            "尊敬的客户：\n\n"
            "您的订单 ${order_number} 已取消。原因：${reason}\n"
            "取消数量：${units_cancelled}；已发货数量：${units_shipped}。\n"
            "应退款金额：${refund_due}。\n"
        ),
    ),
    "safety_stock_alert": MessageTemplate(
        Template("Stock of ${sku} in ${warehouse} is below safety stock / ${warehouse} 仓 ${sku} 库存低于安全库存"),
        Template(
            "Available ${available}, safety stock ${safety_stock}, reorder point ${reorder_point},"
            " inbound ${inbound}.\nSuggested reorder: ${suggested_reorder}.\n\n"
            "可用库存 ${available}，安全库存 ${safety_stock}，再订货点 ${reorder_point}，在途 ${inbound}。\n"
            "建议补货数量：${suggested_reorder}。\n"
        ),
    ),
}


def render(topic: str, payload: dict[str, Any]) -> Rendered:
    template = TEMPLATES.get(topic)
    if template is None:
        body = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        return Rendered(f"OMS: {topic}", body + "\n" + SIGNATURE)
    values = {key: "" if value is None else str(value) for key, value in payload.items()}
    subject = template.subject.safe_substitute(values)
    return Rendered(" ".join(subject.split()), template.body.safe_substitute(values) + SIGNATURE)
