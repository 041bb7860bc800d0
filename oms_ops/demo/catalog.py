"""The product range of a demo industrial / office / electrical distributor: templates, not data.

Each category builds a list of candidate items from variant tables (sizes, ratings, colours); the
generator then picks a fixed number per category so the catalogue holds exactly 500 products.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    sku: str
    name_zh: str
    name_en: str
    unit: str
    price: float  # list price in CNY before rounding
    typical_qty: float  # median quantity on one order line of a standard customer
    tax_rate: str = "0.13"

    @property
    def name(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


@dataclass(frozen=True)
class Category:
    code: str
    name: str  # bilingual, as stored in products.category
    count: int  # products of this category in the catalogue
    cost_ratio: tuple[float, float]  # cost / list price range: the category's margin
    weight: float  # share of demand
    build: Callable[[], list[Item]]


def _fasteners() -> list[Item]:
    items = []
    for d in (6, 8, 10, 12, 16):
        for length in (20, 25, 30, 40, 50, 60, 80):
            if length >= 2 * d:
                price = 18 + d * d * length / 60
                items.append(
                    Item(
                        f"FST-M{d}-{length}",
                        f"不锈钢六角螺栓 M{d}x{length} (100只/盒)",
                        f"Stainless hex bolt M{d}x{length} (box of 100)",
                        "box",
                        price,
                        6,
                    )
                )
                items.append(
                    Item(
                        f"FST-88-M{d}-{length}",
                        f"8.8级镀锌六角螺栓 M{d}x{length} (100只/盒)",
                        f"Grade 8.8 zinc-plated hex bolt M{d}x{length} (box of 100)",
                        "box",
                        price * 0.45,
                        8,
                    )
                )
    for d in (5, 6, 8, 10, 12, 16, 20):
        items.append(
            Item(
                f"FST-NUT-M{d}",
                f"不锈钢六角螺母 M{d} (200只/盒)",
                f"Stainless hex nut M{d} (box of 200)",
                "box",
                10 + d * d * 0.35,
                8,
            )
        )
        items.append(
            Item(
                f"FST-WSH-M{d}",
                f"不锈钢平垫圈 M{d} (500只/包)",
                f"Stainless flat washer M{d} (bag of 500)",
                "bag",
                8 + d * d * 0.3,
                6,
            )
        )
    for d, lengths in ((4, (16, 20, 25)), (5, (20, 30, 40)), (6, (20, 30, 40, 50)), (8, (25, 40, 60))):
        for length in lengths:
            items.append(
                Item(
                    f"FST-SHCS-M{d}-{length}",
                    f"内六角圆柱头螺钉 12.9级 M{d}x{length} (100只/盒)",
                    f"Socket head cap screw 12.9 M{d}x{length} (box of 100)",
                    "box",
                    12 + d * d * length / 45,
                    5,
                )
            )
    for d, length in ((8, 60), (8, 80), (10, 80), (10, 100), (12, 100), (12, 120), (16, 150)):
        items.append(
            Item(
                f"FST-ANC-M{d}-{length}",
                f"膨胀螺栓 M{d}x{length} (50套/盒)",
                f"Expansion anchor bolt M{d}x{length} (box of 50)",
                "box",
                20 + d * length / 12,
                4,
            )
        )
    for size in ("3.5x16", "4.2x19", "4.2x25", "4.8x32", "4.8x38", "5.5x50"):
        items.append(
            Item(
                f"FST-ST-{size.replace('x', '-')}",
                f"十字盘头自攻钉 ST{size} (1000只/盒)",
                f"Phillips pan self-tapping screw ST{size} (box of 1000)",
                "box",
                25 + float(size.split("x")[1]) * 0.9,
                5,
            )
        )
    return items


def _bearings() -> list[Item]:
    items = []
    bores = {"00": 10, "01": 12, "02": 15, "03": 17, "04": 20, "05": 25, "06": 30, "07": 35, "08": 40, "10": 50}
    for series, factor in (("60", 0.8), ("62", 1.0), ("63", 1.5)):
        for code, bore in bores.items():
            for seal in ("2RS", "ZZ"):
                items.append(
                    Item(
                        f"BRG-{series}{code}-{seal}",
                        f"深沟球轴承 {series}{code}-{seal}",
                        f"Deep groove ball bearing {series}{code}-{seal}",
                        "pcs",
                        (6 + bore * 0.9) * factor,
                        10,
                    )
                )
    for section in ("A", "B", "C"):
        for length in (1000, 1250, 1500, 2000):
            items.append(
                Item(
                    f"BRG-VB-{section}{length}",
                    f"三角带 {section}-{length}",
                    f"V-belt {section}-{length}",
                    "pcs",
                    12 + length / 100 * {"A": 1.0, "B": 1.4, "C": 2.2}[section],
                    6,
                )
            )
    for size in ("08B-1", "10A-1", "12A-1", "16A-1"):
        items.append(
            Item(
                f"BRG-CH-{size}",
                f"滚子链 {size} (5米/盒)",
                f"Roller chain {size} (5 m box)",
                "box",
                {"08B-1": 85, "10A-1": 120, "12A-1": 165, "16A-1": 260}[size],
                2,
            )
        )
    return items


def _electrical() -> list[Item]:
    items = []
    for poles in (1, 2, 3, 4):
        for amps in (6, 10, 16, 20, 25, 32, 40, 63):
            items.append(
                Item(
                    f"ELC-MCB-{poles}P-C{amps}",
                    f"小型断路器 {poles}P C{amps}",
                    f"Miniature circuit breaker {poles}P C{amps}",
                    "pcs",
                    11 * poles + amps * 0.25,
                    12,
                )
            )
    for poles in (1, 2, 4):
        for amps in (16, 32, 63):
            items.append(
                Item(
                    f"ELC-RCBO-{poles}P-{amps}",
                    f"漏电保护断路器 {poles}P {amps}A 30mA",
                    f"Residual current breaker {poles}P {amps}A 30mA",
                    "pcs",
                    45 + 18 * poles + amps * 0.4,
                    6,
                )
            )
    for model, contactor_price in (
        ("0910", 38),
        ("1210", 45),
        ("1810", 62),
        ("2510", 88),
        ("3210", 118),
        ("4011", 210),
        ("5011", 265),
        ("6511", 320),
    ):
        items.append(
            Item(
                f"ELC-CJX2-{model}",
                f"交流接触器 CJX2-{model} AC220V",
                f"AC contactor CJX2-{model} AC220V",
                "pcs",
                contactor_price,
                4,
            )
        )
    for cores in (2, 3, 4, 5):
        for mm2 in ("0.75", "1.0", "1.5", "2.5", "4.0"):
            items.append(
                Item(
                    f"ELC-RVV-{cores}X{mm2}",
                    f"RVV护套线 {cores}x{mm2}mm² (100米/卷)",
                    f"RVV sheathed cable {cores}x{mm2} mm² (100 m roll)",
                    "roll",
                    60 + cores * float(mm2) * 95,
                    3,
                )
            )
    for mm2 in ("1.5", "2.5", "4", "6", "10"):
        for colour_zh, colour_en, c in (("红", "red", "R"), ("蓝", "blue", "B"), ("黄绿", "yellow-green", "YG")):
            items.append(
                Item(
                    f"ELC-BV-{mm2}-{c}",
                    f"BV单芯铜线 {mm2}mm² {colour_zh}色 (100米/卷)",
                    f"BV copper wire {mm2} mm² {colour_en} (100 m roll)",
                    "roll",
                    55 + float(mm2) * 72,
                    4,
                )
            )
    for code, zh, en, price in (
        ("SKT-5H", "五孔墙壁插座 10A", "5-hole wall socket 10A", 9.5),
        ("SKT-16A", "三孔空调插座 16A", "16A air-conditioner socket", 14),
        ("SW-1G", "单联单控开关", "1-gang 1-way switch", 7.5),
        ("SW-2G", "双联单控开关", "2-gang 1-way switch", 11),
        ("PS-6", "工业排插 6位 3米", "Industrial power strip 6-way 3 m", 68),
        ("TB-UK25", "导轨接线端子 UK2.5B (100只/盒)", "DIN-rail terminal UK2.5B (box of 100)", 85),
        ("DB-12", "配电箱 12回路 明装", "Distribution box 12-way surface", 135),
        ("PT-25", "PVC穿线管 Φ25 (3.8米/根)", "PVC conduit Φ25 (3.8 m length)", 6.8),
    ):
        items.append(Item(f"ELC-{code}", zh, en, "pcs", price, 15))
    return items


def _lighting() -> list[Item]:
    items = []
    for length, watts in ((600, 9), (1200, 18), (1200, 24)):
        for cct in (4000, 6500):
            items.append(
                Item(
                    f"LGT-T8-{length}-{watts}W-{cct // 100}",
                    f"LED T8灯管 {length / 1000:g}米 {watts}W {cct}K",
                    f"LED T8 tube {length / 1000:g} m {watts}W {cct}K",
                    "pcs",
                    8 + watts * 0.7,
                    40,
                )
            )
    for size, watts in (("600X600", 36), ("600X600", 48), ("300X1200", 40)):
        for cct in (4000, 6500):
            items.append(
                Item(
                    f"LGT-PNL-{size}-{watts}W-{cct // 100}",
                    f"LED平板灯 {size.lower()} {watts}W {cct}K",
                    f"LED panel light {size.lower()} {watts}W {cct}K",
                    "pcs",
                    55 + watts * 1.4,
                    20,
                )
            )
    for watts in (50, 100, 150, 200):
        items.append(
            Item(
                f"LGT-FL-{watts}W",
                f"LED投光灯 {watts}W IP65",
                f"LED floodlight {watts}W IP65",
                "pcs",
                45 + watts * 1.1,
                6,
            )
        )
        items.append(
            Item(
                f"LGT-HB-{watts}W",
                f"LED工矿灯 {watts}W",
                f"LED high-bay light {watts}W",
                "pcs",
                110 + watts * 1.5,
                8,
            )
        )
    for code, zh, en, price in (
        ("EXIT-L", "安全出口指示灯 左向", "Emergency exit sign, left arrow", 38),
        ("EXIT-R", "安全出口指示灯 右向", "Emergency exit sign, right arrow", 38),
        ("EM-2H", "消防应急照明灯 双头", "Twin-spot emergency light", 55),
        ("BLB-E27-12W", "LED球泡灯 E27 12W", "LED bulb E27 12W", 9.9),
        ("BLB-E27-18W", "LED球泡灯 E27 18W", "LED bulb E27 18W", 14.5),
        ("TRI-1200", "LED三防灯 1.2米 36W", "LED tri-proof light 1.2 m 36W", 78),
        ("WL-LED-30W", "LED工作灯 充电式 30W", "Rechargeable LED work light 30W", 129),
        ("SL-100W", "LED路灯 100W", "LED street light 100W", 420),
    ):
        items.append(Item(f"LGT-{code}", zh, en, "pcs", price, 10))
    return items


def _power_tools() -> list[Item]:
    items = []
    for kind, zh, en, base in (
        ("CID", "锂电冲击钻", "Cordless impact drill", 420),
        ("CDD", "锂电电钻", "Cordless drill driver", 360),
        ("CIW", "锂电冲击扳手", "Cordless impact wrench", 560),
        ("CAG", "锂电角磨机", "Cordless angle grinder", 480),
    ):
        for volts, ah in ((12, 2.0), (20, 2.0), (20, 4.0)):
            items.append(
                Item(
                    f"PWT-{kind}-{volts}V-{ah:.0f}A",
                    f"{zh} {volts}V {ah}Ah 套装",
                    f"{en} {volts}V {ah}Ah kit",
                    "set",
                    base + volts * 8 + ah * 90,
                    2,
                )
            )
    for volts, ah in ((12, 2.0), (20, 2.0), (20, 4.0), (20, 5.0)):
        items.append(
            Item(
                f"PWT-BAT-{volts}V-{ah:.0f}A",
                f"锂电池包 {volts}V {ah}Ah",
                f"Battery pack {volts}V {ah}Ah",
                "pcs",
                80 + volts * 4 + ah * 55,
                3,
            )
        )
    for code, zh, en, price in (
        ("AG-100-800", "角磨机 100mm 800W", "Angle grinder 100 mm 800W", 189),
        ("AG-125-1200", "角磨机 125mm 1200W", "Angle grinder 125 mm 1200W", 268),
        ("AG-180-2200", "大角磨机 180mm 2200W", "Large angle grinder 180 mm 2200W", 455),
        ("RH-26-800", "电锤 26mm 800W", "Rotary hammer 26 mm 800W", 395),
        ("RH-32-1100", "电锤 32mm 1100W", "Rotary hammer 32 mm 1100W", 620),
        ("DH-65-1500", "电镐 65mm 1500W", "Demolition hammer 1500W", 980),
        ("CS-185", "电圆锯 185mm 1400W", "Circular saw 185 mm 1400W", 468),
        ("JS-650", "曲线锯 650W", "Jigsaw 650W", 299),
        ("HG-2000", "热风枪 2000W", "Heat gun 2000W", 158),
        ("CHG-20V", "锂电充电器 20V", "Battery charger 20V", 149),
        ("ED-6", "手电钻 6mm 300W", "Electric drill 6 mm 300W", 125),
        ("MS-255", "型材切割机 355mm 2000W", "Cut-off saw 355 mm 2000W", 720),
        ("PL-82", "电刨 82mm 600W", "Electric planer 82 mm 600W", 330),
        ("SD-ELEC", "锂电起子机 4V", "Cordless screwdriver 4V", 139),
        ("VAC-30L", "工业吸尘器 30升 1400W", "Industrial vacuum 30 L 1400W", 699),
        ("MX-1600", "电动搅拌机 1600W", "Paddle mixer 1600W", 388),
    ):
        items.append(Item(f"PWT-{code}", zh, en, "pcs", price, 2))
    return items


def _hand_tools() -> list[Item]:
    items = []
    for size in (8, 10, 12, 13, 14, 17, 19, 22, 24, 27, 30, 32):
        items.append(
            Item(f"HTL-CW-{size}", f"两用扳手 {size}mm", f"Combination wrench {size} mm", "pcs", 9 + size * 1.1, 6)
        )
    for inches, mm in ((6, 150), (8, 200), (10, 250), (12, 300)):
        items.append(
            Item(f"HTL-AW-{mm}", f"活动扳手 {inches}寸", f'Adjustable wrench {inches}"', "pcs", 18 + inches * 3.2, 5)
        )
    for tip in ("PH1x100", "PH2x100", "PH2x150", "SL5x100", "SL6x150", "PH3x150"):
        items.append(Item(f"HTL-SD-{tip.replace('x', '-')}", f"螺丝刀 {tip}", f"Screwdriver {tip}", "pcs", 8.5, 10))
    for code, zh, en, price in (
        ("PL-CB-8", "钢丝钳 8寸", 'Combination pliers 8"', 32),
        ("PL-CB-7", "钢丝钳 7寸", 'Combination pliers 7"', 28),
        ("PL-NN-6", "尖嘴钳 6寸", 'Needle-nose pliers 6"', 24),
        ("PL-DC-6", "斜口钳 6寸", 'Diagonal cutters 6"', 26),
        ("PL-WS", "剥线钳 多功能", "Multi-function wire stripper", 35),
        ("HK-9", "内六角扳手套装 9件", "Hex key set, 9 pcs", 29),
        ("SK-46", '套筒扳手组套 46件 1/4"', '1/4" socket set, 46 pcs', 148),
        ("SK-94", "套筒扳手组套 94件", "Socket set, 94 pcs", 398),
        ("TK-120", "综合工具箱 120件", "Mechanic's tool kit, 120 pcs", 560),
        ("TM-3", "钢卷尺 3米", "Tape measure 3 m", 9),
        ("TM-5", "钢卷尺 5米", "Tape measure 5 m", 14),
        ("TM-7.5", "钢卷尺 7.5米", "Tape measure 7.5 m", 22),
        ("UK-18", "美工刀 18mm", "Utility knife 18 mm", 7.5),
        ("UB-18", "美工刀片 18mm (10片/盒)", "Utility blades 18 mm (10 per pack)", 5.8),
        ("HM-500", "羊角锤 0.5kg", "Claw hammer 0.5 kg", 26),
        ("RM-1", "橡胶锤 1磅", "Rubber mallet 1 lb", 18),
        ("LV-600", "铝合金水平尺 600mm", "Aluminium spirit level 600 mm", 35),
        ("HS-300", "钢锯架 300mm", "Hacksaw frame 300 mm", 24),
        ("PW-12", "管子钳 12寸", 'Pipe wrench 12"', 58),
        ("TW-25", "扭力扳手 5-25N·m", "Torque wrench 5-25 N·m", 235),
        ("TW-210", "扭力扳手 28-210N·m", "Torque wrench 28-210 N·m", 328),
        ("CL-F", "F型木工夹 300mm", "F-clamp 300 mm", 21),
        ("VC-150", "数显游标卡尺 150mm", "Digital vernier caliper 150 mm", 128),
        ("MM-DT", "数字万用表", "Digital multimeter", 98),
        ("RV-HAND", "手动拉铆枪", "Hand riveter", 39),
        ("GG-GLUE", "热熔胶枪 60W", "Hot-melt glue gun 60W", 25),
    ):
        items.append(Item(f"HTL-{code}", zh, en, "pcs" if "套" not in zh else "set", price, 5))
    return items


def _ppe() -> list[Item]:
    items = []
    for size in ("S", "M", "L", "XL"):
        items.append(
            Item(
                f"PPE-NIT-{size}",
                f"一次性丁腈手套 {size}号 (100只/盒)",
                f"Disposable nitrile gloves size {size} (box of 100)",
                "box",
                32,
                12,
            )
        )
        items.append(
            Item(
                f"PPE-CUT5-{size}",
                f"防割手套 5级 {size}号",
                f"Cut-resistant gloves level 5, size {size}",
                "pair",
                16.5,
                30,
            )
        )
        items.append(
            Item(
                f"PPE-PU-{size}",
                f"PU涂掌手套 {size}号 (12双/打)",
                f"PU palm-coated gloves size {size} (dozen pairs)",
                "dozen",
                26,
                15,
            )
        )
    for colour_zh, colour_en, c in (
        ("白", "white", "W"),
        ("黄", "yellow", "Y"),
        ("红", "red", "R"),
        ("蓝", "blue", "B"),
    ):
        items.append(Item(f"PPE-HLM-{c}", f"ABS安全帽 {colour_zh}色", f"ABS safety helmet, {colour_en}", "pcs", 18, 20))
        items.append(
            Item(
                f"PPE-VST-{c}",
                f"反光背心 {colour_zh}色",
                f"Reflective safety vest, {colour_en}",
                "pcs",
                9.5,
                25,
            )
        )
    for shoe in range(38, 46):
        items.append(
            Item(
                f"PPE-SHOE-{shoe}",
                f"钢包头防砸安全鞋 {shoe}码",
                f"Steel-toe safety shoes, size {shoe}",
                "pair",
                139,
                6,
            )
        )
    for code, zh, en, unit, price, qty in (
        ("KN95-50", "KN95防护口罩 (50只/盒)", "KN95 respirator (box of 50)", "box", 45, 10),
        ("MSK-3L", "一次性三层口罩 (50只/盒)", "3-ply disposable mask (box of 50)", "box", 12, 20),
        ("GOG-AF", "防雾护目镜", "Anti-fog safety goggles", "pcs", 15, 20),
        ("FS-PC", "防冲击面屏", "Impact face shield", "pcs", 28, 8),
        ("EP-200", "隔音耳塞 (200副/盒)", "Foam earplugs (box of 200 pairs)", "box", 85, 3),
        ("EM-HD", "防噪音耳罩", "Noise-reduction earmuffs", "pcs", 48, 6),
        ("HRN-FB", "全身式安全带", "Full-body safety harness", "set", 168, 4),
        ("LY-2M", "双钩缓冲安全绳 2米", "Twin-hook shock-absorbing lanyard 2 m", "pcs", 96, 4),
        ("APR-PVC", "PVC防水围裙", "PVC waterproof apron", "pcs", 16, 12),
        ("RC-L", "分体雨衣 L", "Two-piece rain suit L", "set", 45, 10),
        ("WG-WLD", "电焊手套 加长", "Long welding gloves", "pair", 22, 15),
        ("FA-KIT", "工业急救箱", "Industrial first-aid kit", "set", 135, 2),
    ):
        items.append(Item(f"PPE-{code}", zh, en, unit, price, qty))
    return items


def _abrasives() -> list[Item]:
    items = []
    for spec, price in (("105x1.2x16", 1.6), ("125x1.2x22", 2.4), ("180x1.6x22", 4.8), ("350x3.0x25", 18)):
        items.append(
            Item(
                f"ABR-CD-{spec.split('x')[0]}",
                f"树脂切割片 {spec} (50片/盒)",
                f"Resin cutting disc {spec} (box of 50)",
                "box",
                price * 50 * 0.8,
                4,
            )
        )
        items.append(
            Item(
                f"ABR-GW-{spec.split('x')[0]}",
                f"树脂磨光片 {spec.split('x')[0]}mm (25片/盒)",
                f"Resin grinding wheel {spec.split('x')[0]} mm (box of 25)",
                "box",
                price * 25 * 1.3,
                3,
            )
        )
    for grit in (40, 60, 80, 120):
        items.append(
            Item(
                f"ABR-FD-100-{grit}",
                f"百叶片 100mm {grit}目 (10片/盒)",
                f"Flap disc 100 mm P{grit} (box of 10)",
                "box",
                28,
                6,
            )
        )
    for grit in (80, 120, 180, 240, 320, 400, 600, 800):
        items.append(
            Item(
                f"ABR-SP-{grit}",
                f"砂纸 {grit}目 230x280 (100张/包)",
                f"Sandpaper P{grit} 230x280 (pack of 100)",
                "pack",
                58,
                3,
            )
        )
    for code, zh, en, price in (
        ("WB-100", "钢丝轮碗刷 100mm", "Wire cup brush 100 mm", 16),
        ("HSS-SET19", "高速钢麻花钻头套装 19件", "HSS twist drill set, 19 pcs", 68),
        ("SDS-SET5", "四坑电锤钻头套装 5件", "SDS-plus drill bit set, 5 pcs", 45),
        ("HS-BLD", "双金属锯条 300mm (10条/盒)", "Bi-metal hacksaw blades 300 mm (10 per box)", 38),
        ("DIA-114", "金刚石锯片 114mm", "Diamond saw blade 114 mm", 22),
        ("PAD-125", "羊毛抛光轮 125mm", "Wool polishing pad 125 mm", 14),
        ("HOLE-SET", "开孔器套装 11件", "Hole saw set, 11 pcs", 99),
    ):
        items.append(Item(f"ABR-{code}", zh, en, "pcs" if "套装" not in zh else "set", price, 4))
    return items


def _office() -> list[Item]:
    items = []
    for size, gsm, box_price in (("A4", 70, 118), ("A4", 80, 138), ("A3", 70, 236), ("A3", 80, 268)):
        items.append(
            Item(
                f"OFC-PPR-{size}-{gsm}",
                f"{size}复印纸 {gsm}g (500张/包, 5包/箱)",
                f"{size} copy paper {gsm} gsm (5 reams of 500 per box)",
                "box",
                box_price,
                6,
            )
        )
    for colour_zh, colour_en, c in (("黑", "black", "BK"), ("蓝", "blue", "BL"), ("红", "red", "RD")):
        items.append(
            Item(
                f"OFC-GEL-05-{c}",
                f"中性笔 0.5mm {colour_zh}色 (12支/盒)",
                f"Gel pen 0.5 mm {colour_en} (box of 12)",
                "box",
                14,
                10,
            )
        )
        items.append(
            Item(
                f"OFC-MK-{c}",
                f"白板笔 {colour_zh}色 (10支/盒)",
                f"Whiteboard marker {colour_en} (box of 10)",
                "box",
                16,
                6,
            )
        )
    for code, zh, en, unit, price in (
        ("TNR-3K", "激光打印机硒鼓 黑色 3000页", "Laser toner cartridge black, 3,000 pages", "pcs", 168),
        ("TNR-9K", "激光打印机硒鼓 黑色 9000页", "Laser toner cartridge black, 9,000 pages", "pcs", 398),
        ("FLD-A4", "A4文件夹 (12个/包)", "A4 clip folders (pack of 12)", "pack", 36),
        ("BOX-A4", "A4档案盒 55mm (10个/包)", "A4 archive box 55 mm (pack of 10)", "pack", 45),
        ("STP-12", "订书机 12号", "Stapler no. 12", "pcs", 15),
        ("STPL-10", "订书钉 24/6 (10盒/包)", "Staples 24/6 (10 boxes per pack)", "pack", 12),
        ("NB-A5", "A5笔记本 (10本/包)", "A5 notebooks (pack of 10)", "pack", 48),
        ("NOTE-76", "便利贴 76x76 (12本/包)", "Sticky notes 76x76 (pack of 12)", "pack", 28),
        ("CAL-12", "计算器 12位", "12-digit calculator", "pcs", 35),
        ("TAPE-18", "透明胶带 18mm (10卷/条)", "Clear tape 18 mm (10 rolls)", "pack", 9.5),
        ("BAT-AA", "碱性电池 5号 (24节/盒)", "Alkaline batteries AA (box of 24)", "box", 42),
        ("BAT-AAA", "碱性电池 7号 (24节/盒)", "Alkaline batteries AAA (box of 24)", "box", 42),
        ("LBL-A4", "A4不干胶标签纸 (100张/包)", "A4 self-adhesive label sheets (100)", "pack", 38),
        ("TP-ROLL", "商用卷纸 (12卷/提)", "Commercial toilet rolls (12 per pack)", "pack", 29),
        ("HT-BOX", "抽纸 (24包/箱)", "Facial tissues (case of 24 packs)", "case", 68),
        ("WTR-18.9", "桶装饮用水 18.9升", "Drinking water 18.9 L bottle", "pcs", 22),
    ):
        items.append(Item(f"OFC-{code}", zh, en, unit, price, 6))
    for code, zh, en, price in (
        ("BK-MDH", "机械设计手册 第六版 (全5卷)", "Mechanical design handbook, 6th ed. (5 vols)", 980),
        ("BK-ELEC", "电工手册 第三版", "Electrician's handbook, 3rd ed.", 128),
        ("BK-SAFE", "安全生产培训教材", "Workplace safety training manual", 45),
        ("BK-GBFST", "紧固件标准汇编", "Compilation of fastener standards", 360),
        ("BK-5S", "现场5S管理实务", "5S shop-floor management in practice", 58),
    ):
        items.append(Item(f"OFC-{code}", zh, en, "pcs", price, 2, tax_rate="0.09"))
    return items


def _chemicals() -> list[Item]:
    items = []
    for code, zh, en, unit, price, qty in (
        ("LUB-400", "多功能防锈润滑剂 400ml", "Multi-purpose rust-preventive lubricant 400 ml", "can", 22, 24),
        ("CC-450", "精密电器清洁剂 450ml", "Precision contact cleaner 450 ml", "can", 26, 12),
        ("RR-500", "除锈剂 500ml", "Rust remover 500 ml", "bottle", 19, 12),
        ("SIL-300-W", "中性硅酮密封胶 白色 300ml", "Neutral silicone sealant white 300 ml", "tube", 12, 24),
        ("SIL-300-T", "中性硅酮密封胶 透明 300ml", "Neutral silicone sealant clear 300 ml", "tube", 12, 24),
        ("EPX-AB", "AB环氧树脂胶 80g", "Two-part epoxy adhesive 80 g", "set", 16, 10),
        ("TL-M-50", "螺纹锁固胶 中强度 50ml", "Threadlocker medium strength 50 ml", "bottle", 48, 6),
        ("TL-H-50", "螺纹锁固胶 高强度 50ml", "Threadlocker high strength 50 ml", "bottle", 55, 6),
        ("CA-20", "瞬干胶 20g", "Cyanoacrylate instant glue 20 g", "bottle", 8, 20),
        ("DGR-500", "工业脱脂剂 500ml", "Industrial degreaser 500 ml", "bottle", 21, 12),
        ("MRK-P-W", "油漆笔 白色", "Paint marker white", "pcs", 6, 30),
        ("SPR-GRY", "自喷漆 灰色 400ml", "Spray paint grey 400 ml", "can", 14, 24),
        ("SPR-RED", "自喷漆 红色 400ml", "Spray paint red 400 ml", "can", 14, 24),
        ("ABS-20", "吸油棉片 (100片/包)", "Oil absorbent pads (pack of 100)", "pack", 95, 3),
    ):
        items.append(Item(f"CHM-{code}", zh, en, unit, price, qty))
    for kind, zh, en, sizes in (
        ("GRS-LI", "锂基润滑脂 3#", "Lithium grease NLGI 3", ((0.8, "kg", 28), (15, "kg", 360))),
        ("HYD-46", "抗磨液压油 46#", "Anti-wear hydraulic oil ISO 46", ((18, "L", 420), (200, "L", 4200))),
        ("HYD-68", "抗磨液压油 68#", "Anti-wear hydraulic oil ISO 68", ((18, "L", 440), (200, "L", 4400))),
        ("GEAR-220", "重负荷齿轮油 220#", "Heavy-duty gear oil ISO 220", ((18, "L", 520),)),
        ("CUT-EM", "乳化切削液", "Emulsifiable cutting fluid", ((18, "L", 380),)),
        ("CMP-46", "空压机油 46#", "Air compressor oil ISO 46", ((4, "L", 120), (18, "L", 480))),
    ):
        for amount, unit, price in sizes:
            items.append(
                Item(
                    f"CHM-{kind}-{amount:g}{unit}".upper(),
                    f"{zh} {amount:g}{unit}",
                    f"{en}, {amount:g} {unit}",
                    "drum" if amount >= 15 else "pcs",
                    price,
                    2 if amount >= 15 else 8,
                )
            )
    return items


def _packaging() -> list[Item]:
    items = []
    for no, dims, price in (
        (1, "530x290x370", 6.5),
        (2, "530x230x290", 4.8),
        (3, "430x210x270", 3.6),
        (4, "350x190x230", 2.6),
        (5, "290x170x190", 1.9),
        (6, "260x150x180", 1.5),
        (7, "230x130x160", 1.2),
        (8, "210x110x140", 0.95),
    ):
        items.append(
            Item(
                f"PKG-CTN-{no}",
                f"五层瓦楞纸箱 {no}号 {dims}mm (20个/捆)",
                f"5-ply carton no. {no}, {dims} mm (bundle of 20)",
                "bundle",
                price * 20,
                10,
            )
        )
    for width, weight, price in ((50, 2.5, 32), (50, 4.0, 48), (25, 1.0, 14)):
        items.append(
            Item(
                f"PKG-SF-{width}-{weight:g}",
                f"缠绕膜 {width}cm {weight:g}kg",
                f"Stretch film {width} cm {weight:g} kg",
                "roll",
                price,
                12,
            )
        )
    for colour_zh, colour_en, c in (("透明", "clear", "CL"), ("米黄", "tan", "TN")):
        for width in (45, 48, 60):
            items.append(
                Item(
                    f"PKG-TAPE-{width}-{c}",
                    f"封箱胶带 {colour_zh} {width}mm x 100米 (6卷/筒)",
                    f"Packing tape {colour_en} {width} mm x 100 m (6 rolls)",
                    "pack",
                    18 + width * 0.25,
                    15,
                )
            )
    for spec, price in (("3x100", 9), ("4x200", 18), ("5x300", 32), ("8x400", 68)):
        items.append(
            Item(
                f"PKG-CT-{spec.replace('x', '-')}",
                f"尼龙扎带 {spec} (1000条/包)",
                f"Nylon cable ties {spec} (pack of 1000)",
                "pack",
                price,
                8,
            )
        )
    for code, zh, en, unit, price, qty in (
        ("BW-1M", "气泡膜 1米宽 50米/卷", "Bubble wrap 1 m x 50 m roll", "roll", 65, 4),
        ("PP-STR", "PP打包带 15mm 10kg", "PP strapping band 15 mm, 10 kg coil", "roll", 78, 4),
        ("PLT-1210", "塑料托盘 1200x1000", "Plastic pallet 1200x1000", "pcs", 185, 10),
        ("ZIP-8", "自封袋 8号 (100个/包)", "Zip bags no. 8 (pack of 100)", "pack", 9, 20),
        ("EPE-2", "EPE珍珠棉 2mm 100米", "EPE foam sheet 2 mm x 100 m", "roll", 58, 4),
        ("LBL-TH", "热敏标签 100x150 (500张/卷)", "Thermal labels 100x150 (500 per roll)", "roll", 22, 20),
        ("DSP-TAPE", "胶带切割器 60mm", "Tape dispenser 60 mm", "pcs", 15, 6),
        ("CRN-EDGE", "纸护角 50x50x5 (100根/捆)", "Paper edge protectors (bundle of 100)", "bundle", 95, 3),
        ("WB-BAG", "编织袋 80x110 (100条/包)", "Woven PP sacks 80x110 (pack of 100)", "pack", 85, 4),
    ):
        items.append(Item(f"PKG-{code}", zh, en, unit, price, qty))
    return items


CATEGORIES: tuple[Category, ...] = (
    Category("FST", "紧固件 / Fasteners", 95, (0.50, 0.62), 1.25, _fasteners),
    Category("BRG", "轴承传动 / Bearings & transmission", 60, (0.60, 0.72), 0.8, _bearings),
    Category("ELC", "电气 / Electrical", 85, (0.70, 0.82), 1.3, _electrical),
    Category("LGT", "照明 / Lighting", 28, (0.62, 0.75), 0.8, _lighting),
    Category("PWT", "电动工具 / Power tools", 32, (0.72, 0.84), 0.6, _power_tools),
    Category("HTL", "手动工具 / Hand tools", 48, (0.55, 0.68), 0.9, _hand_tools),
    Category("PPE", "劳保用品 / Safety & PPE", 40, (0.55, 0.70), 1.2, _ppe),
    Category("ABR", "磨具磨料 / Abrasives & bits", 27, (0.50, 0.62), 0.7, _abrasives),
    Category("OFC", "办公用品 / Office supplies", 31, (0.78, 0.88), 0.9, _office),
    Category("CHM", "润滑化学品 / Lubricants & chemicals", 24, (0.58, 0.70), 0.7, _chemicals),
    Category("PKG", "包装材料 / Packaging", 30, (0.65, 0.78), 0.85, _packaging),
)
