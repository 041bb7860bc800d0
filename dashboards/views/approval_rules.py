"""Approval rules (admins): which orders need whose approval. Each rule is a condition with a threshold,
the roles that approve, whether one of them is enough or all must, and its level (levels run in order)."""

from decimal import Decimal, InvalidOperation

import streamlit as st

from dashboards.lib import session
from dashboards.lib.navigation import APPROVAL_RULES
from oms_ops.client import ApiError, Unauthorized
from oms_ops.contracts_approvals import RuleIn, RuleOut
from oms_ops.domain.approvals import APPROVER_ROLES, KINDS

NOTICE_KEY = "rules_notice"
NEW = 0  # the "new rule" choice of the rule picker
FIELDS = ("rules_name", "rules_kind", "rules_threshold", "rules_level", "rules_roles", "rules_mode", "rules_active")
MODES = {"any": "one of the roles is enough", "all": "every role must approve"}

user = session.require_page(APPROVAL_RULES.path)
client = session.client()


def load_rule(rules: dict[int, RuleOut]) -> None:
    """Fill the form with the picked rule (or blank for a new one)."""
    rule = rules.get(st.session_state.get("rules_pick", NEW))
    st.session_state["rules_name"] = rule.name if rule else ""
    st.session_state["rules_kind"] = rule.condition_kind if rule else "order_total_over"
    st.session_state["rules_threshold"] = str(rule.threshold) if rule else ""
    st.session_state["rules_level"] = rule.level if rule else 1
    st.session_state["rules_roles"] = list(rule.roles) if rule else ["manager"]
    st.session_state["rules_mode"] = rule.mode if rule else "any"
    st.session_state["rules_active"] = rule.is_active if rule else True


def save() -> None:
    try:
        threshold = Decimal(st.session_state.get("rules_threshold", "").strip().replace(",", ""))
    except InvalidOperation:
        st.session_state[NOTICE_KEY] = ("error", "Enter the threshold as a number, such as 50000 or 15.")
        return
    roles = list(st.session_state.get("rules_roles") or [])
    if not roles:
        st.session_state[NOTICE_KEY] = ("error", "Choose at least one role that approves.")
        return
    body = RuleIn(
        name=st.session_state.get("rules_name", ""),
        condition_kind=st.session_state["rules_kind"],
        threshold=threshold,
        roles=roles,
        level=int(st.session_state["rules_level"]),
        mode=st.session_state["rules_mode"],
        is_active=bool(st.session_state["rules_active"]),
    )
    picked = st.session_state.get("rules_pick", NEW)
    try:
        saved = client.update_approval_rule(picked, body) if picked != NEW else client.create_approval_rule(body)
    except Unauthorized:
        session.end_session()
        return
    except ApiError as error:
        st.session_state[NOTICE_KEY] = ("error", error.message)
        return
    st.session_state[NOTICE_KEY] = ("success", f"Rule “{saved.name}” saved.")
    st.session_state["rules_pick"] = saved.rule_id


st.title("Approval rules")
st.caption(
    "An order that matches an active rule waits for approval before it moves on; levels run in order"
    " (level 1 first). An order over its customer's credit limit goes on credit hold unless a credit rule is on."
)

notice = st.session_state.pop(NOTICE_KEY, None)
if notice:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

with session.answering_errors():
    rules = {rule.rule_id: rule for rule in client.approval_rules()}

st.dataframe(
    [
        {
            "Rule": r.name,
            "Condition": f"{KINDS.get(r.condition_kind, r.condition_kind)} {r.threshold.normalize():f}",
            "Level": r.level,
            "Approved by": (" and " if r.mode == "all" else " or ").join(r.roles),
            "Active": r.is_active,
            "Changed by": r.updated_by,
        }
        for r in rules.values()
    ],
    hide_index=True,
    key="rules_table",
)

st.subheader("Add or change a rule")
st.selectbox(
    "Rule",
    [NEW, *rules],
    format_func=lambda rule_id: "New rule" if rule_id == NEW else rules[rule_id].name,
    key="rules_pick",
    on_change=load_rule,
    args=(rules,),
)
if any(field not in st.session_state for field in FIELDS):
    load_rule(rules)

with st.form("rules_form", border=True):
    st.text_input("Name", key="rules_name")
    kind_col, threshold_col, level_col = st.columns(3)
    kind_col.selectbox("Condition", list(KINDS), format_func=lambda k: KINDS[k], key="rules_kind")
    threshold_col.text_input(
        "Threshold",
        key="rules_threshold",
        help="Money for totals, percent for discount, margin and credit, orders for new customers",
    )
    level_col.number_input("Level", min_value=1, step=1, key="rules_level")
    roles_col, mode_col = st.columns(2)
    roles_col.multiselect("Approved by", list(APPROVER_ROLES), key="rules_roles")
    mode_col.radio("When several roles", list(MODES), format_func=lambda m: MODES[m], key="rules_mode")
    st.checkbox("Active", key="rules_active")
    st.form_submit_button("Save rule", key="rules_save", type="primary", on_click=save)
