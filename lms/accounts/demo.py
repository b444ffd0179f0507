"""Demo township: units, about 40 cadres and one login per role (idempotent)."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from .models import CadreCategory, OrgUnit, User
from .roles import Role, roles_ensure

DEMO_PASSWORD = "xuefa2026"

# The township's stations (code: name); its villages, numbered QS-V01… in this order.
STATIONS = {
    "QS-JG": "青山镇党政办公室",
    "QS-SF": "青山镇司法所",
    "QS-CZ": "青山镇财政所",
    "QS-NY": "青山镇农业综合服务中心",
    "QS-ZZ": "青山镇综治中心",
}
VILLAGES = ["青山村", "河口村", "石桥村", "柳林村", "王家庄村", "东坡村"]

# code, name, kind, parent code
UNITS = [
    ("QS", "青山镇", OrgUnit.Kind.TOWNSHIP, None),
    *((code, name, OrgUnit.Kind.STATION, "QS") for code, name in STATIONS.items()),
    *((f"QS-V{n:02d}", name, OrgUnit.Kind.VILLAGE, "QS") for n, name in enumerate(VILLAGES, 1)),
    ("QS-C01", "青山社区", OrgUnit.Kind.COMMUNITY, "QS"),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "海燕",
    "国平",
    "丽华",
    "春生",
    "玉梅",
    "德明",
    "晓东",
    "红霞",
    "永胜",
    "淑芬",
    "立新",
    "彩云",
    "文斌",
    "美玲",
    "长青",
    "金凤",
]
# unit code -> (category, positions); each village gets a secretary, a director, an
# accountant-type member and a grid manager.
STAFFING = {
    "QS-JG": (CadreCategory.TOWNSHIP_STAFF, ["党政办主任", "科员", "科员"]),
    "QS-SF": (CadreCategory.STATION_STAFF, ["司法所所长", "司法助理员"]),
    "QS-CZ": (CadreCategory.STATION_STAFF, ["财政所所长", "会计"]),
    "QS-NY": (CadreCategory.STATION_STAFF, ["中心主任", "农技员"]),
    "QS-ZZ": (CadreCategory.TOWNSHIP_STAFF, ["综治中心主任", "调解员"]),
    "QS-C01": (CadreCategory.COMMUNITY_CADRE, ["社区党委书记", "社区居委会主任", "社区工作者"]),
}
VILLAGE_POSITIONS = ["村党支部书记", "村委会主任", "村委会委员", "村务监督委员会主任"]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    name: str
    note: str = ""


DEMO_LOGINS = [
    DemoLogin(Role.CADRE, "13800000001", "王建国", "青山村 村党支部书记"),
    DemoLogin(Role.TRAINER, "trainer", "林老师", "司法所 法治宣传"),
    DemoLogin(Role.UNIT_LEADER, "leader", "陈书记", "河口村、石桥村"),
    DemoLogin(Role.HR, "hr", "周干事", "MFA not yet enrolled"),
    DemoLogin(Role.ADMIN, "admin", "系统管理员", "superuser; MFA not yet enrolled"),
]


def _roster():
    """(phone, name, unit code, position, category), deterministic so reruns update in place."""
    rows, plan = [], []
    for code, _name, kind, _parent in UNITS:
        if kind == OrgUnit.Kind.VILLAGE:
            positions = VILLAGE_POSITIONS + ["网格员"]
            plan += [
                (
                    code,
                    p,
                    CadreCategory.GRID_MANAGER if p == "网格员" else CadreCategory.VILLAGE_CADRE,
                )
                for p in positions
            ]
        elif code in STAFFING:
            category, positions = STAFFING[code]
            plan += [(code, p, category) for p in positions]
    for index, (code, position, category) in enumerate(plan, start=1):
        name = SURNAMES[(index * 7) % len(SURNAMES)] + GIVEN[(index * 3) % len(GIVEN)]
        rows.append((f"138{index + 1:08d}", name, code, position, category))
    return rows


def seed_accounts() -> dict:
    roles_ensure()
    units = {}
    for code, name, kind, parent_code in UNITS:
        unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
        unit.name, unit.kind = name, kind
        unit.parent = units.get(parent_code)
        unit.save()
        units[code] = unit

    password_hash = make_password(DEMO_PASSWORD)
    groups = {group.name: group for group in Group.objects.all()}
    cadre_group = groups[Role.CADRE]
    with transaction.atomic():
        demo_cadre = _upsert(
            "13800000001",
            "13800000001",
            "王建国",
            units["QS-V01"],
            "村党支部书记",
            CadreCategory.VILLAGE_CADRE,
            password_hash,
        )
        demo_cadre.groups.add(cadre_group)
        for phone, name, code, position, category in _roster():
            if phone == "13800000001":
                continue
            user = _upsert(phone, phone, name, units[code], position, category, password_hash)
            user.groups.add(cadre_group)
        trainer = _upsert(
            "trainer",
            "13700000002",
            "林老师",
            units["QS-SF"],
            "法治宣传干事",
            CadreCategory.STATION_STAFF,
            password_hash,
        )
        trainer.groups.add(groups[Role.TRAINER], cadre_group)
        leader = _upsert(
            "leader",
            "13700000003",
            "陈书记",
            units["QS-JG"],
            "分管副镇长",
            CadreCategory.TOWNSHIP_STAFF,
            password_hash,
        )
        leader.groups.add(groups[Role.UNIT_LEADER], cadre_group)
        leader.led_units.set([units["QS-V02"], units["QS-V03"]])
        hr = _upsert(
            "hr",
            "13700000004",
            "周干事",
            units["QS-JG"],
            "组织人事干事",
            CadreCategory.TOWNSHIP_STAFF,
            password_hash,
        )
        hr.groups.add(groups[Role.HR])
        admin = _upsert("admin", None, "系统管理员", None, "", "", password_hash)
        admin.groups.add(groups[Role.ADMIN])
        if not admin.is_superuser:
            admin.is_superuser = admin.is_staff = True
            admin.save(update_fields=["is_superuser", "is_staff"])
    return {"units": len(units), "cadres": User.objects.filter(unit__isnull=False).count()}


def _upsert(username, phone, name, unit, position, category, password_hash) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        # A demo login keeps its known password and is not forced to change it.
        return User.objects.create(
            username=username,
            phone=phone,
            name=name,
            unit=unit,
            position=position,
            category=category,
            password=password_hash,
        )
    changed = False
    for field, value in {
        "phone": phone,
        "name": name,
        "unit": unit,
        "position": position,
        "category": category,
    }.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    if changed:
        user.save()
    return user
