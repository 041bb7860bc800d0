"""Deterministic demo data of a B2B distributor (industrial, electrical and office supplies) in China.

`generate(seed, scale, today)` returns polars frames shaped as the server's bulk-load contracts
(`SCHEMAS`). Same seed, scale and day give identical frames. Master data is built row by row (a few
hundred rows); order history and stock receipts are drawn as whole numpy arrays.

Size: scale 1 (the default) is 200 customers and ~50,000 orders with ~200,000 lines over two years;
`scale` multiplies customers and orders (the 500 products and 3 warehouses stay), so scale 10 is 2,000
customers and ~500,000 orders with ~2 million lines, generated in seconds.

How the history is made:
- every customer orders on its own rhythm: gamma-distributed gaps around a typical interval, in
  "business time"; business time is mapped to calendar days through a daily intensity with a trend,
  month seasonality (Q4 peak), the Chinese New Year and Golden Week holidays, and quiet weekends;
- some customers join during the two years, a few stop ordering;
- each customer has a basket of favourite SKUs from a few favourite categories; key accounts order
  often, with more lines and larger quantities, and now and then a project order;
- lines of one order ship from one warehouse, usually the one serving the customer's region;
- orders older than two weeks are completed (a few cancelled); recent ones are still open:
  to_ship for customers on terms, pending_payment/paid for prepaid ones, or shipped;
- stock receipts: opening stock, then one replenishment per month and location that covers that
  month's demand, so stock never runs negative; about 5% of locations end nearly sold out;
- payments: a prepaid order is paid in full the day after it is placed (once it got past pending
  payment); an order on terms that is completed was paid when it completed (two days after it was
  placed, as the status history the server writes has it); open orders on terms are not paid yet.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import polars as pl

from oms_ops.demo import names
from oms_ops.demo.catalog import CATEGORIES

MONEY = pl.Decimal(18, 2)
TS = pl.Datetime("us", "UTC")

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "warehouses": {"warehouse_code": pl.String(), "name": pl.String(), "region": pl.String(), "city": pl.String()},
    "products": {
        "sku": pl.String(),
        "name": pl.String(),
        "category": pl.String(),
        "unit": pl.String(),
        "list_price": MONEY,
        "cost": MONEY,
        "tax_rate": pl.Decimal(5, 4),
        "gtin": pl.String(),
    },
    "customers": {
        "customer_code": pl.String(),
        "name": pl.String(),
        "name_en": pl.String(),
        "tier": pl.String(),
        "region": pl.String(),
        "city": pl.String(),
        "email": pl.String(),
        "phone": pl.String(),
        "gln": pl.String(),
        "credit_limit": MONEY,
        "payment_terms_days": pl.Int32(),
    },
    "stock_movements": {
        "occurred_at": TS,
        "warehouse_code": pl.String(),
        "sku": pl.String(),
        "movement": pl.String(),
        "on_hand_delta": pl.Int64(),
        "reserved_delta": pl.Int64(),
        "order_number": pl.String(),
        "reason": pl.String(),
    },
    "payments": {
        "channel": pl.String(),
        "external_ref": pl.String(),
        "method": pl.String(),
        "amount": MONEY,
        "paid_on": pl.Date(),
        "reference": pl.String(),
    },
    "order_history": {
        "channel": pl.String(),
        "external_ref": pl.String(),
        "customer_code": pl.String(),
        "ordered_at": TS,
        "status": pl.String(),
        "sku": pl.String(),
        "warehouse_code": pl.String(),
        "quantity": pl.Int64(),
        "unit_price": MONEY,
        "discount_pct": pl.Decimal(5, 2),
    },
}

# Statuses whose lines consume stock (shipped or reserved); cancelled lines do not.
DEMAND_STATUSES = ("completed", "shipped", "to_ship", "pending_payment", "paid")

WAREHOUSES = (
    ("SH", "上海嘉定仓 / Shanghai Jiading DC", "East", "Shanghai"),
    ("GZ", "广州黄埔仓 / Guangzhou Huangpu DC", "South", "Guangzhou"),
    ("BJ", "北京大兴仓 / Beijing Daxing DC", "North", "Beijing"),
)
WAREHOUSE_CODES = tuple(w[0] for w in WAREHOUSES)

TIERS = ("key", "gold", "silver", "standard")
TIER_SHARE = (0.03, 0.12, 0.25, 0.60)
TIER_ACTIVITY = np.array([14.0, 4.0, 1.8, 1.0])  # relative order frequency
TIER_LINES = np.array([6.5, 4.0, 3.0, 2.2])  # relative mean lines per order
TIER_QTY = np.array([4.0, 2.0, 1.3, 1.0])  # quantity multiplier
TIER_LIST_PRICE_SHARE = np.array([0.1, 0.2, 0.5, 0.75])  # share of lines sent without a price

CHANNELS = ("manual", "marketplace", "erp", "edi")
CHANNEL_PREFIX = ("HIST", "MKT", "ERP", "EDI")

HISTORY_DAYS = 730
RECENT_DAYS = 14
SHANGHAI_OFFSET_S = 8 * 3600
LINES_PER_ORDER = 4.0
ORDERS_PER_SCALE = 50_000
CUSTOMERS_PER_SCALE = 200
SHORT_SHARE = 0.05
FAVOURITES = 24

# Chinese New Year (first day of the lunar year); outside this table the dip sits on 5 February.
CNY = {
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12),
    2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26),
    2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
    2036: (1, 28), 2037: (2, 15), 2038: (2, 4), 2039: (1, 24), 2040: (2, 12),
}  # fmt: skip
MONTH_FACTOR = np.array([1.0, 0.85, 1.08, 1.0, 0.98, 1.05, 0.92, 0.92, 1.1, 0.95, 1.22, 1.25])
WEEKDAY_FACTOR = np.array([1.05, 1.1, 1.05, 1.0, 0.9, 0.22, 0.08])  # Monday first


@dataclass(frozen=True)
class DemoData:
    warehouses: pl.DataFrame
    products: pl.DataFrame
    customers: pl.DataFrame
    stock_movements: pl.DataFrame
    order_history: pl.DataFrame
    payments: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """The frames by bulk entity name, in the order they must be loaded."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class _Catalog:
    skus: list[str]
    category: np.ndarray  # category index per product
    price: np.ndarray  # list price in cents
    cost: np.ndarray  # cost in cents
    popularity: np.ndarray  # demand weight, sums to 1
    typical_qty: np.ndarray


@dataclass(frozen=True)
class _Accounts:
    codes: list[str]
    tier: np.ndarray
    prepaid: np.ndarray
    home: np.ndarray  # home warehouse index
    channel: np.ndarray  # main channel index
    activity: np.ndarray  # relative order rate
    active_from: np.ndarray  # share of the history (0..1) when the customer starts ordering
    active_to: np.ndarray
    contract_discount: np.ndarray  # fraction off list price on the customer's contract prices
    favourites: np.ndarray  # (customers, FAVOURITES) product indices


def generate(seed: int = 7, scale: float = 1.0, today: date | None = None) -> DemoData:
    """Demo master data, stock receipts and about two years of order history ending yesterday."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    today = today or date.today()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    products, catalog = _products(streams[0])
    customers, accounts = _customers(streams[1], max(12, round(CUSTOMERS_PER_SCALE * scale)), catalog)
    lines = _history(streams[2], catalog, accounts, today, max(1, round(ORDERS_PER_SCALE * scale)))
    stock = _receipts(streams[3], catalog, lines, today)
    history = _history_frame(lines, catalog, accounts)
    payments = _payments(streams[4], history, customers, today)
    warehouses = pl.DataFrame(list(WAREHOUSES), schema=list(SCHEMAS["warehouses"]), orient="row")
    data = DemoData(warehouses, products, customers, stock, history, payments)
    for name, frame in data.frames().items():
        assert frame.schema == pl.Schema(SCHEMAS[name]), (name, frame.schema)
    return data


# -- check digits ----------------------------------------------------------------------------


def gs1_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit of a GTIN-13 / GLN body of 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return str((10 - total % 10) % 10)


def gs1_valid(code: str) -> bool:
    return len(code) == 13 and code.isdigit() and gs1_check_digit(code[:12]) == code[12]


# -- master data ------------------------------------------------------------------------------


def _round_price(yuan: float) -> int:
    """A list price as a distributor would print it, in cents."""
    step = 10 if yuan < 20 else 50 if yuan < 200 else 100 if yuan < 2000 else 1000
    return max(50, round(yuan * 100 / step) * step)


def _products(rng: np.random.Generator) -> tuple[pl.DataFrame, _Catalog]:
    rows: list[dict[str, object]] = []
    category, price, cost, popularity, typical = [], [], [], [], []
    used_gtins: set[str] = set()
    terms: dict[float, tuple[float, float]] = {}
    for c, cat in enumerate(CATEGORIES):
        items = cat.build()
        if cat.count > len(items):
            raise ValueError(f"category {cat.code} has only {len(items)} candidate products")
        picked = np.sort(rng.choice(len(items), size=cat.count, replace=False))
        makers = [f"69{rng.integers(10_000, 99_999)}" for _ in range(3)]  # GS1 China company prefixes
        appeal = rng.lognormal(0.0, 1.0, size=cat.count)
        appeal = appeal / appeal.sum() * cat.weight
        for k, i in enumerate(picked):
            item = items[int(i)]
            if item.price not in terms:  # sizes and colours of one article share price and cost
                terms[item.price] = (rng.uniform(0.92, 1.08), rng.uniform(*cat.cost_ratio))
            markup, cost_ratio = terms[item.price]
            list_cents = _round_price(item.price * markup)
            cost_cents = round(list_cents * cost_ratio)
            gtin = None
            if rng.random() < 0.9:
                while gtin is None or gtin in used_gtins:
                    body = makers[int(rng.integers(3))] + f"{rng.integers(0, 100_000):05d}"
                    gtin = body + gs1_check_digit(body)
                used_gtins.add(gtin)
            rows.append(
                {
                    "sku": item.sku,
                    "name": item.name,
                    "category": cat.name,
                    "unit": item.unit,
                    "list_price": Decimal(list_cents) / 100,
                    "cost": Decimal(cost_cents) / 100,
                    "tax_rate": Decimal(item.tax_rate),
                    "gtin": gtin,
                }
            )
            category.append(c)
            price.append(list_cents)
            cost.append(cost_cents)
            popularity.append(appeal[k])
            typical.append(item.typical_qty)
    frame = pl.DataFrame(rows, schema=SCHEMAS["products"])
    weights = np.array(popularity)
    catalog = _Catalog(
        skus=frame["sku"].to_list(),
        category=np.array(category),
        price=np.array(price, dtype=np.int64),
        cost=np.array(cost, dtype=np.int64),
        popularity=weights / weights.sum(),
        typical_qty=np.array(typical, dtype=float),
    )
    return frame, catalog


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _customers(rng: np.random.Generator, n: int, catalog: _Catalog) -> tuple[pl.DataFrame, _Accounts]:
    counts = [max(2, round(n * TIER_SHARE[0]))] + [round(n * s) for s in TIER_SHARE[1:3]]
    counts.append(n - sum(counts))
    tier = rng.permutation(np.repeat(np.arange(4), counts))
    city_weights = np.array([c[5] for c in names.CITIES])
    city = rng.choice(len(names.CITIES), size=n, p=city_weights / city_weights.sum())
    rows: list[dict[str, object]] = []
    taken: set[str] = set()
    prepaid = np.zeros(n, dtype=bool)
    channel = np.zeros(n, dtype=np.int64)
    home = np.zeros(n, dtype=np.int64)
    contract = np.zeros(n)
    used_glns: set[str] = set()
    for i in range(n):
        t = int(tier[i])
        city_en, city_zh, region, area, warehouse, _ = names.CITIES[int(city[i])]
        home[i] = WAREHOUSE_CODES.index(warehouse)
        name, name_en, domain = _company_name(rng, t, city_en, city_zh, taken)
        taken.add(name)
        if t == 0:
            terms = 60
        elif t == 1:
            terms = 60 if rng.random() < 0.5 else 30
        elif t == 2:
            terms = 30 if rng.random() < 0.8 else 0
        else:
            terms = 30 if rng.random() < 0.35 else 0
        prepaid[i] = terms == 0
        channel[i] = _main_channel(rng, t, prepaid[i])
        contract[i] = (rng.uniform(0.06, 0.10), rng.uniform(0.03, 0.06), rng.uniform(0.01, 0.03), 0.0)[t]
        limit_yuan = (
            round(rng.uniform(2e6, 5e6), -5),
            round(rng.uniform(5e5, 1.5e6), -4),
            round(rng.uniform(1e5, 4e5), -4),
            round(rng.uniform(2e4, 8e4), -3),
        )[t]
        if prepaid[i]:
            limit_yuan = 0
        if rng.random() < 0.7:
            phone = f"+86 {area} {rng.integers(2000, 9000)} {rng.integers(0, 10_000):04d}"
        else:
            phone = f"+86 1{rng.integers(3, 10)}{rng.integers(0, 10)} {rng.integers(0, 10_000):04d} " + (
                f"{rng.integers(0, 10_000):04d}"
            )
        gln = None
        if rng.random() < 0.5:
            while gln is None or gln in used_glns:
                body = f"69{rng.integers(0, 10**10):010d}"
                gln = body + gs1_check_digit(body)
            used_glns.add(gln)
        rows.append(
            {
                "customer_code": f"C{i + 1:05d}",
                "name": name,
                "name_en": name_en,
                "tier": TIERS[t],
                "region": region,
                "city": city_en,
                "email": f"{_pick(rng, names.MAILBOXES)}@{domain}",
                "phone": phone,
                "gln": gln,
                "credit_limit": Decimal(int(limit_yuan)).quantize(Decimal("0.01")),
                "payment_terms_days": terms,
            }
        )
    frame = pl.DataFrame(rows, schema=SCHEMAS["customers"])

    active_from = np.zeros(n)
    active_to = np.ones(n)
    late = (rng.random(n) < 0.12) & (tier != 0)
    active_from[late] = rng.uniform(0.1, 0.85, size=int(late.sum()))
    churned = (rng.random(n) < 0.08) & (tier != 0) & ~late
    active_to[churned] = rng.uniform(0.25, 0.9, size=int(churned.sum()))

    favourites = np.empty((n, FAVOURITES), dtype=np.int64)
    n_categories = int(catalog.category.max()) + 1
    for i in range(n):
        liked = rng.choice(n_categories, size=3, replace=False)
        weight = catalog.popularity * np.where(np.isin(catalog.category, liked), 6.0, 1.0)
        favourites[i] = rng.choice(len(weight), size=FAVOURITES, replace=False, p=weight / weight.sum())

    accounts = _Accounts(
        codes=frame["customer_code"].to_list(),
        tier=tier,
        prepaid=prepaid,
        home=home,
        channel=channel,
        activity=TIER_ACTIVITY[tier] * rng.lognormal(0.0, 0.6, size=n),
        active_from=active_from,
        active_to=active_to,
        contract_discount=contract,
        favourites=favourites,
    )
    return frame, accounts


def _company_name(
    rng: np.random.Generator, tier: int, city_en: str, city_zh: str, taken: set[str]
) -> tuple[str, str, str]:
    """(name, English name, e-mail domain), a name not in `taken`."""
    while True:
        if rng.random() < 0.15:
            first = _pick(rng, names.FOREIGN_FIRST)
            second = _pick(rng, names.FOREIGN_SECOND)
            suffix = _pick(rng, names.FOREIGN_SUFFIX)
            # a foreign-invested enterprise in China names its city; an offshore company does not
            city_part = f" ({city_en})" if suffix == "Co., Ltd." else ""
            name = f"{first} {second}{city_part} {suffix}"
            domain = f"{first.lower().replace(' ', '')}-{second.split()[0].lower()}.com"
            name_en = name
        else:
            brand_zh, brand_py = names.BRANDS[int(rng.integers(len(names.BRANDS)))]
            industry_zh, industry_en, tag = names.INDUSTRIES[int(rng.integers(len(names.INDUSTRIES)))]
            city_py = city_en.replace("'", "")
            if tier == 0:
                name = f"{city_zh}{brand_zh}{industry_zh}集团股份有限公司"
                name_en = f"{city_py} {brand_py} {industry_en} Group Co., Ltd."
            else:
                name = f"{city_zh}{brand_zh}{industry_zh}有限公司"
                name_en = f"{city_py} {brand_py} {industry_en} Co., Ltd."
            domain = f"{brand_py.lower()}{tag}{_pick(rng, names.TLDS)}"
        if name not in taken:
            return name, name_en, domain


def _main_channel(rng: np.random.Generator, tier: int, prepaid: bool) -> int:
    shares = (
        (0.0, 0.0, 0.5, 0.5),  # key accounts: their ERP or EDI
        (0.4, 0.0, 0.45, 0.15),
        (0.65, 0.15, 0.2, 0.0),
        (0.55, 0.45, 0.0, 0.0),
    )[tier]
    c = int(rng.choice(4, p=shares))
    return 0 if c == 1 and not prepaid else c  # the marketplace only takes prepaid orders


# -- order history ----------------------------------------------------------------------------


def _day_intensity(start: date, days: int) -> np.ndarray:
    """Relative order volume of each calendar day: trend x month x weekday x holidays."""
    dates = np.datetime64(start, "D") + np.arange(days)
    ordinal = dates.astype(np.int64)
    month = dates.astype("datetime64[M]").astype(np.int64) % 12
    weekday = (ordinal + 3) % 7  # 1970-01-01 was a Thursday
    intensity = MONTH_FACTOR[month] * WEEKDAY_FACTOR[weekday] * np.linspace(0.88, 1.12, days)
    years = range(start.year - 1, start.year + days // 365 + 2)
    for year in years:
        month_day = CNY.get(year, (2, 5))
        offset = ordinal - np.datetime64(date(year, *month_day), "D").astype(np.int64)
        intensity *= np.select(
            [
                (offset >= -14) & (offset < -7),  # stocking up before the holiday
                (offset >= -7) & (offset < 0),
                (offset >= 0) & (offset < 7),  # Spring Festival: almost nothing
                (offset >= 7) & (offset < 15),
                (offset >= 15) & (offset < 22),
            ],
            [1.15, 0.5, 0.04, 0.4, 0.8],
            1.0,
        )
        golden = ordinal - np.datetime64(date(year, 10, 1), "D").astype(np.int64)
        labour = ordinal - np.datetime64(date(year, 5, 1), "D").astype(np.int64)
        intensity *= np.where((golden >= 0) & (golden < 7), 0.08, 1.0)
        intensity *= np.where((labour >= 0) & (labour < 5), 0.3, 1.0)
    return intensity


def _order_times(
    rng: np.random.Generator, accounts: _Accounts, start: date, days: int, target: int
) -> tuple[np.ndarray, np.ndarray]:
    """(customer, day) of every order: each customer's own rhythm, warped onto the calendar."""
    span = (accounts.active_to - accounts.active_from) * days
    rate = accounts.activity * target / float((accounts.activity * span).sum())  # orders per business day
    mean_gap = 1.0 / rate
    shape = 3.0  # gaps vary by about +-60% around the customer's usual interval
    draws = np.ceil(span * rate * 1.4 + 6).astype(np.int64)
    who = np.repeat(np.arange(len(rate)), draws)
    gaps = rng.gamma(shape, mean_gap[who] / shape)
    ends = np.cumsum(draws)
    cum = np.cumsum(gaps)
    before = np.concatenate(([0.0], cum[ends[:-1] - 1]))
    phase = rng.uniform(0.0, 1.0, size=len(rate)) * mean_gap
    business = accounts.active_from[who] * days + phase[who] + cum - before[who] - gaps
    keep = business < accounts.active_to[who] * days
    who, business = who[keep], business[keep]
    intensity = _day_intensity(start, days)
    clock = np.concatenate(([0.0], np.cumsum(intensity)))
    clock *= days / clock[-1]
    day = np.clip(np.floor(np.interp(business, clock, np.arange(days + 1))).astype(np.int64), 0, days - 1)
    return who, day


def _seconds_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Local (Asia/Shanghai) time of an order, in working hours: peaks mid-morning and mid-afternoon."""
    morning = rng.random(n) < 0.55
    hours = np.where(morning, rng.normal(10.2, 0.9, n), rng.normal(15.0, 1.1, n))
    hours = np.clip(hours, 8.5, 18.4)
    return (hours * 3600).astype(np.int64) + rng.integers(0, 60, n)


def _statuses(rng: np.random.Generator, age: np.ndarray, prepaid: np.ndarray) -> np.ndarray:
    """Final status of each order by its age in days and whether its customer prepays."""
    u = rng.random(len(age))
    old = np.where(u < 0.025, "cancelled", "completed")
    terms_fresh = np.select([u < 0.02, u < 0.75], ["cancelled", "to_ship"], "shipped")
    prepaid_fresh = np.select(
        [u < 0.04, u < 0.62, u < 0.75, u < 0.88], ["cancelled", "pending_payment", "paid", "to_ship"], "shipped"
    )
    terms_week = np.select([u < 0.025, u < 0.25, u < 0.85], ["cancelled", "to_ship", "shipped"], "completed")
    prepaid_week = np.select(
        [u < 0.05, u < 0.18, u < 0.25, u < 0.85],
        ["cancelled", "pending_payment", "to_ship", "shipped"],
        "completed",
    )
    late_weeks = np.select(
        [u < 0.03, prepaid & (u < 0.07), u < 0.5], ["cancelled", "pending_payment", "shipped"], "completed"
    )
    return np.select(
        [age <= 4, age <= 8, age <= RECENT_DAYS],
        [
            np.where(prepaid, prepaid_fresh, terms_fresh),
            np.where(prepaid, prepaid_week, terms_week),
            late_weeks,
        ],
        old,
    )


def _history(
    rng: np.random.Generator, catalog: _Catalog, accounts: _Accounts, today: date, target: int
) -> pl.DataFrame:
    """One row per order line, with indices into the master data (converted to codes later)."""
    days = HISTORY_DAYS
    start = today - timedelta(days=days)
    who, day = _order_times(rng, accounts, start, days, target)
    n = len(who)
    seconds = _seconds_of_day(rng, n)
    local_midnight = calendar.timegm(start.timetuple()) - SHANGHAI_OFFSET_S
    epoch = local_midnight + day * 86_400 + seconds
    order = np.lexsort((who, epoch))
    who, day, epoch = who[order], day[order], epoch[order]

    tier = accounts.tier[who]
    prepaid = accounts.prepaid[who]
    status = _statuses(rng, days - day, prepaid)
    channel = np.where(rng.random(n) < 0.85, accounts.channel[who], rng.choice(4, size=n, p=[0.5, 0.1, 0.25, 0.15]))
    channel = np.where((channel == 1) & ~prepaid, 0, channel)
    other = (accounts.home[who] + rng.integers(1, 3, size=n)) % 3
    warehouse = np.where(rng.random(n) < 0.88, accounts.home[who], other)
    project = (tier <= 1) & (rng.random(n) < 0.03)

    extra = TIER_LINES[tier] - 1.0
    extra *= (LINES_PER_ORDER * 1.005 - 1.0) / extra.mean()  # a few duplicate lines are dropped
    n_lines = 1 + rng.poisson(extra * np.where(project, 2.0, 1.0))

    line_order = np.repeat(np.arange(n), n_lines)
    m = len(line_order)
    line_who = who[line_order]
    rank = np.minimum(rng.zipf(1.6, size=m) - 1, FAVOURITES - 1)
    favourite = accounts.favourites[line_who, rank]
    anywhere = np.searchsorted(np.cumsum(catalog.popularity), rng.random(m) * catalog.popularity.sum())
    sku = np.where(rng.random(m) < 0.72, favourite, np.minimum(anywhere, len(catalog.skus) - 1))

    # A repeated SKU within an order is dropped and replaced once by a draw from the whole range.
    lines = pl.DataFrame({"order": line_order, "sku": sku}).unique(maintain_order=True)
    lost = n_lines - np.bincount(lines["order"].to_numpy(), minlength=n)
    again = np.repeat(np.arange(n), lost)
    redraw = np.searchsorted(np.cumsum(catalog.popularity), rng.random(len(again)) * catalog.popularity.sum())
    lines = (
        pl.concat([lines, pl.DataFrame({"order": again, "sku": np.minimum(redraw, len(catalog.skus) - 1)})])
        .unique(maintain_order=True)
        .sort("order", maintain_order=True)
    )
    line_order = lines["order"].to_numpy()
    sku = lines["sku"].to_numpy()
    m = len(sku)
    line_tier = tier[line_order]
    line_who = who[line_order]

    qty = catalog.typical_qty[sku] * rng.lognormal(0.0, 0.55, size=m) * TIER_QTY[line_tier]
    qty *= np.where(project[line_order], rng.uniform(4.0, 10.0, size=m), 1.0)
    qty = np.maximum(1, np.ceil(qty)).astype(np.int64)
    qty = np.where(qty >= 100, np.round(qty / 10) * 10, np.where(qty >= 20, np.round(qty / 5) * 5, qty))
    qty = qty.astype(np.int64)

    contract = np.round(catalog.price[sku] * (1.0 - accounts.contract_discount[line_who]))
    has_price = (rng.random(m) >= TIER_LIST_PRICE_SHARE[line_tier]) & (channel[line_order] != 1)
    price = np.where(has_price, contract, catalog.price[sku]).astype(np.int64)
    discount = np.where(
        rng.random(m) < 0.2, rng.choice([2, 3, 5, 8, 10, 12, 15], size=m, p=[0.2, 0.2, 0.25, 0.12, 0.12, 0.06, 0.05]), 0
    )
    discount = np.where(project[line_order], np.maximum(discount, 5), discount)
    floor = np.clip(np.floor((1.0 - catalog.cost[sku] * 1.03 / price) * 100), 0, 15).astype(np.int64)
    discount = np.where(rng.random(m) < 0.97, np.minimum(discount, floor), discount)

    return pl.DataFrame(
        {
            "order": line_order,
            "customer": who[line_order],
            "epoch": epoch[line_order],
            "day": day[line_order],
            "status": status[line_order],
            "channel": channel[line_order],
            "warehouse": warehouse[line_order],
            "sku": sku,
            "quantity": qty,
            "price_cents": price,
            "has_price": has_price,
            "discount_pct": discount,
        }
    )


def _history_frame(lines: pl.DataFrame, catalog: _Catalog, accounts: _Accounts) -> pl.DataFrame:
    orders = (
        lines.select("order", "channel")
        .unique("order", maintain_order=True)
        .with_columns(seq=pl.int_range(1, pl.len() + 1).over("channel"))
        .with_columns(
            external_ref=pl.col("channel").replace_strict(list(range(4)), list(CHANNEL_PREFIX), return_dtype=pl.String)
            + "-"
            + pl.col("seq").cast(pl.String).str.zfill(6)
        )
        .select("order", "external_ref")
    )
    return lines.join(orders, on="order", how="left", maintain_order="left").select(
        channel=pl.col("channel").replace_strict(list(range(4)), list(CHANNELS), return_dtype=pl.String),
        external_ref=pl.col("external_ref"),
        customer_code=pl.lit(pl.Series(accounts.codes)).gather(pl.col("customer")),
        ordered_at=pl.from_epoch(pl.col("epoch"), time_unit="s").dt.replace_time_zone("UTC").cast(TS),
        status=pl.col("status").cast(pl.String),
        sku=pl.lit(pl.Series(catalog.skus)).gather(pl.col("sku")),
        warehouse_code=pl.lit(pl.Series(WAREHOUSE_CODES)).gather(pl.col("warehouse")),
        quantity=pl.col("quantity").cast(pl.Int64),
        unit_price=pl.when(pl.col("has_price")).then(_cents_to_money(pl.col("price_cents"))),
        discount_pct=pl.col("discount_pct").cast(pl.Decimal(5, 2)),
    )


def _cents_to_money(cents: pl.Expr) -> pl.Expr:
    return (cents.cast(MONEY) / 100).cast(MONEY)


# -- stock receipts ---------------------------------------------------------------------------


def _receipts(rng: np.random.Generator, catalog: _Catalog, lines: pl.DataFrame, today: date) -> pl.DataFrame:
    """Opening stock plus one replenishment per month and location covering that month's demand."""
    start = today - timedelta(days=HISTORY_DAYS)
    start_month = start.year * 12 + start.month - 1
    day_dates = np.datetime64(start, "D") + np.arange(HISTORY_DAYS)
    month_of_day = day_dates.astype("datetime64[M]").astype(np.int64) + 1970 * 12 - start_month
    demand = (
        lines.filter(pl.col("status").is_in(DEMAND_STATUSES))
        .with_columns(month=pl.lit(pl.Series(month_of_day)).gather(pl.col("day")))
        .group_by("warehouse", "sku", "month")
        .agg(pl.col("quantity").sum())
    )
    n_products = len(catalog.skus)
    pairs = pl.DataFrame(
        {
            "warehouse": np.repeat(np.arange(3), n_products),
            "sku": np.tile(np.arange(n_products), 3),
        }
    )
    totals = pairs.join(
        demand.group_by("warehouse", "sku").agg(total=pl.col("quantity").sum()),
        on=["warehouse", "sku"],
        how="left",
        maintain_order="left",
    ).with_columns(pl.col("total").fill_null(0))
    total = totals["total"].to_numpy()
    n_pairs = len(total)
    short = np.zeros(n_pairs, dtype=bool)
    with_demand = np.flatnonzero(total > 0)
    short[rng.choice(with_demand, size=min(len(with_demand), round(SHORT_SHARE * n_pairs)), replace=False)] = True
    tq = np.tile(catalog.typical_qty, 3)
    pack = np.where(tq <= 4, 5, np.where(tq <= 12, 10, 20))
    monthly = total / (HISTORY_DAYS / 30.4)
    generous = np.ceil(np.maximum(monthly * rng.uniform(1.2, 3.0, size=n_pairs), pack * 3) / pack) * pack
    opening = np.where(short, rng.integers(0, 11, size=n_pairs), generous).astype(np.int64)
    plan = totals.with_columns(short=short, pack=pack, opening=opening)

    monthly_receipts = demand.join(plan, on=["warehouse", "sku"]).with_columns(
        on_hand_delta=pl.when(pl.col("short"))
        .then(pl.col("quantity"))
        .otherwise(((pl.col("quantity") + pl.col("pack") - 1) // pl.col("pack")) * pl.col("pack"))
    )
    month_starts = [
        max(start, date((start_month + k) // 12, (start_month + k) % 12 + 1, 1)) for k in range(HISTORY_DAYS // 28 + 2)
    ]
    seven_am = [calendar.timegm(d.timetuple()) + 7 * 3600 - SHANGHAI_OFFSET_S for d in month_starts]
    opening_at = calendar.timegm((start - timedelta(days=1)).timetuple()) + 7 * 3600 - SHANGHAI_OFFSET_S
    receipts = pl.concat(
        [
            plan.filter(pl.col("opening") > 0).select(
                "warehouse",
                "sku",
                epoch=pl.lit(opening_at, dtype=pl.Int64),
                on_hand_delta=pl.col("opening"),
                reason=pl.lit("opening stock"),
            ),
            monthly_receipts.filter(pl.col("on_hand_delta") > 0).select(
                "warehouse",
                "sku",
                epoch=pl.lit(pl.Series(seven_am, dtype=pl.Int64)).gather(pl.col("month")),
                on_hand_delta=pl.col("on_hand_delta").cast(pl.Int64),
                reason=pl.lit("PO replenishment"),
            ),
        ]
    ).sort("epoch", "warehouse", "sku")
    return receipts.select(
        occurred_at=pl.from_epoch(pl.col("epoch"), time_unit="s").dt.replace_time_zone("UTC").cast(TS),
        warehouse_code=pl.lit(pl.Series(WAREHOUSE_CODES)).gather(pl.col("warehouse")),
        sku=pl.lit(pl.Series(catalog.skus)).gather(pl.col("sku")),
        movement=pl.lit("receipt"),
        on_hand_delta=pl.col("on_hand_delta").cast(pl.Int64),
        reserved_delta=pl.lit(0, dtype=pl.Int64),
        order_number=pl.lit(None, dtype=pl.String),
        reason=pl.col("reason"),
    )


# -- payments ---------------------------------------------------------------------------------

PAID_PREPAID = ("paid", "to_ship", "shipped", "completed")
METHODS = ("bank_transfer", "alipay", "wechat_pay", "cheque", "bank_acceptance_bill", "card")


def _payments(rng: np.random.Generator, history: pl.DataFrame, customers: pl.DataFrame, today: date) -> pl.DataFrame:
    """One payment in full per settled order (amount left empty: the server pays the order's balance)."""
    orders = (
        history.group_by("channel", "external_ref", maintain_order=True)
        .agg(pl.first("customer_code", "ordered_at", "status"))
        .join(customers.select("customer_code", "tier", "payment_terms_days"), on="customer_code", how="left")
        .with_columns(prepaid=pl.col("payment_terms_days") == 0)
        .filter(
            pl.when(pl.col("prepaid"))
            .then(pl.col("status").is_in(PAID_PREPAID))
            .otherwise(pl.col("status") == "completed")
        )
    )
    n = orders.height
    u = rng.random(n)
    marketplace = (orders["channel"] == "marketplace").to_numpy()
    big_account = orders["tier"].is_in(["key", "gold"]).to_numpy()
    method = np.select(
        [
            marketplace & (u < 0.6),
            marketplace,
            big_account & (u < 0.18),
            u < 0.8,
            u < 0.88,
            u < 0.94,
            u < 0.98,
        ],
        ["alipay", "wechat_pay", "bank_acceptance_bill", "bank_transfer", "alipay", "wechat_pay", "cheque"],
        "card",
    )
    days_after = pl.when(pl.col("prepaid")).then(1).otherwise(2)
    paid_on = pl.min_horizontal(
        pl.col("ordered_at").dt.date() + pl.duration(days=days_after), pl.lit(today - timedelta(days=1))
    )
    return orders.select(
        "channel",
        "external_ref",
        method=pl.Series(method, dtype=pl.String),
        amount=pl.lit(None, dtype=MONEY),
        paid_on=paid_on.cast(pl.Date),
        reference=pl.when(pl.lit(pl.Series(method)).is_in(["bank_transfer", "bank_acceptance_bill"]))
        .then(pl.lit("BK") + pl.col("ordered_at").dt.strftime("%Y%m%d") + "-" + pl.col("external_ref"))
        .otherwise(None),
    )
