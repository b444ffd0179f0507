"""Roster import: a unit's spreadsheet of cadres in, validated whole, written all-or-nothing."""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from lms.spreadsheets import FormulaSafeSheet, xlsx_bytes, xlsx_sheet, xlsx_workbook
from lms.tabular import RowError, TabularError, Wording, header_columns, read_table

from .models import CadreCategory, OrgUnit, User
from .phones import MOBILE_RE, phone_normalize
from .services import one_time_password_generate
from .signals import roster_changed

# The header a person sees is Chinese whatever the interface language: the file is shared
# between units as it is.
# Canonical header first: it is what the template and the error messages use.
FIELDS = {
    "name": ("姓名", "name"),
    "phone": ("手机号", "手机号码", "手机", "phone"),
    "unit_code": ("单位编码", "单位代码", "unit code", "unit_code"),
    "position": ("职务", "position"),
    "category": ("类别", "人员类别", "category"),
}
COLUMNS = {key: aliases[0] for key, aliases in FIELDS.items()}
_CATEGORY_NAMES = {
    "乡镇干部": CadreCategory.TOWNSHIP_STAFF,
    "村干部": CadreCategory.VILLAGE_CADRE,
    "社区干部": CadreCategory.COMMUNITY_CADRE,
    "站所人员": CadreCategory.STATION_STAFF,
    "网格员": CadreCategory.GRID_MANAGER,
    **{choice.value: choice for choice in CadreCategory},
    **{str(choice.label).lower(): choice for choice in CadreCategory},
}
CATEGORY_CHINESE = {value: key for key, value in list(_CATEGORY_NAMES.items())[:5]}
REQUIRED = ("name", "phone", "unit_code", "category")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
WORDING = Wording(too_big=gettext_lazy("The file is larger than 5 MB."))
UPDATABLE = ("name", "unit_id", "position", "category")


class RosterImportError(ValueError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


@dataclass
class NewAccount:
    name: str
    phone: str
    password: str
    unit: str = ""


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_accounts: list[NewAccount] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class _Row:
    number: int
    name: str
    phone: str
    unit: OrgUnit
    position: str
    category: str


# The template's sample rows are marked in the name; an upload that still holds one is
# refused, so the examples never become accounts.
EXAMPLE_MARK = "示例："
_EXAMPLES = [
    ("张伟", "13800001234", OrgUnit.Kind.STATION, "T-EXAMPLE", "所长", "站所人员"),
    ("李秀英", "13900005678", OrgUnit.Kind.VILLAGE, "V-EXAMPLE", "村党支部书记", "村干部"),
]


def roster_template_xlsx() -> bytes:
    """The roster template: sample rows with this site's own unit codes (made-up codes
    only where no unit of that kind exists yet), and a sheet of every unit code."""
    units = list(OrgUnit.objects.order_by("path").values_list("code", "name", "kind"))
    first_of_kind = {}
    for code, _name, kind in units:
        first_of_kind.setdefault(kind, code)
    book = xlsx_workbook()
    xlsx_sheet(
        book,
        _("Roster"),
        [
            [EXAMPLE_MARK + name, phone, first_of_kind.get(kind, fallback), position, category]
            for name, phone, kind, fallback, position, category in _EXAMPLES
        ],
        header=COLUMNS.values(),
    )
    notes = [
        [_("The rows marked “示例：” are examples: replace them with your cadres.")],
        [_("单位编码 must be one of the codes below.")],
        [],
        ["单位编码", _("Unit")],
        *([code, name] for code, name, _kind in units),
    ]
    xlsx_sheet(book, _("Read me"), notes, widths=[24, 30])
    return xlsx_bytes(book)


class PasswordSheet(FormulaSafeSheet):
    """The new accounts' one-time passwords, for the clerk who hands them out."""

    list_export = ["name", "phone", "unit", "password"]
    export_headings = {"name": "姓名", "phone": "手机号", "unit": "单位", "password": "一次性密码"}


def roster_passwords_xlsx(accounts: list[dict]) -> bytes:
    return PasswordSheet().xlsx_bytes(accounts)


def _header_map(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    positions = header_columns(header, FIELDS)
    missing = [COLUMNS[key] for key in REQUIRED if key not in positions]
    errors = [
        RowError(1, column, _("required column is missing from the header row"))
        for column in missing
    ]
    return positions, errors


def _validate(rows: list[list[str]], progress=None) -> tuple[list[_Row], list[RowError]]:
    positions, errors = _header_map(rows[0])
    if errors:
        return [], errors
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    seen_phones: dict[str, int] = {}
    valid: list[_Row] = []

    for number, raw in enumerate(rows[1:], start=2):
        if progress is not None:
            progress(number - 2, len(rows) - 1)

        def cell(key, raw=raw):
            index = positions.get(key)
            return raw[index] if index is not None and index < len(raw) else ""

        row_errors = []

        def fail(key, message, number=number, row_errors=row_errors):
            row_errors.append(RowError(number, COLUMNS[key], message))

        name, position = cell("name"), cell("position")
        phone = phone_normalize(cell("phone"))
        if not name:
            fail("name", _("the name is empty"))
        elif name.startswith(EXAMPLE_MARK):
            fail(
                "name",
                _("this is the template's example row: replace it with a cadre or delete it"),
            )
        elif len(name) > 50:
            fail("name", _("the name is too long"))
        if not phone:
            fail("phone", _("the phone number is empty"))
        elif not MOBILE_RE.match(phone):
            fail(
                "phone",
                _("“%(value)s” is not a valid mainland mobile number") % {"value": phone},
            )
        elif phone in seen_phones:
            fail(
                "phone",
                _("the phone number %(phone)s is already used in row %(row)d")
                % {"phone": phone, "row": seen_phones[phone]},
            )
        else:
            seen_phones[phone] = number
        unit_code = cell("unit_code")
        unit = units.get(unit_code)
        if not unit_code:
            fail("unit_code", _("the unit code is empty"))
        elif unit is None:
            fail(
                "unit_code",
                _("no unit has the code “%(code)s”") % {"code": unit_code},
            )
        if len(position) > 100:
            fail("position", _("the position is too long"))
        category_text = cell("category")
        category = _CATEGORY_NAMES.get(category_text) or _CATEGORY_NAMES.get(category_text.lower())
        if not category_text:
            fail("category", _("the category is empty"))
        elif category is None:
            fail(
                "category",
                _("unknown category “%(value)s”; use one of: %(choices)s")
                % {
                    "value": category_text,
                    "choices": pgettext("list separator", ", ").join(CATEGORY_CHINESE.values()),
                },
            )
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append(_Row(number, name, phone, unit, position, str(category)))
    if progress is not None:
        progress(len(rows) - 1, len(rows) - 1, force=True)
    if not valid and not errors:
        errors.append(RowError(2, "", _("the file has a header row but no cadres")))
    return valid, errors


def _read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The rows that hold anything, the header first (blank rows do not count)."""
    rows = [
        row
        for row in read_table(
            data,
            filename,
            max_bytes=MAX_UPLOAD_BYTES,
            text_names=(".csv", ".txt"),
            wording=WORDING,
        )
        if any(row)
    ]
    if not rows:
        raise TabularError(WORDING.empty)
    return rows


def roster_import(*, data: bytes, filename: str, progress=None) -> RosterImportResult:
    """Validate every row first; write nothing unless every row is good.

    Existing cadres are matched by phone number and updated; new ones get a one-time
    password they must change at first sign-in. progress(done, total, force=False), if
    given, hears how many rows are checked (a background import's progress page).
    """
    try:
        rows = _read_rows(data, filename)
    except TabularError as exc:
        raise RosterImportError([RowError(0, "", exc.message)]) from exc
    valid, errors = _validate(rows, progress)
    if errors:
        raise RosterImportError(errors)

    result = RosterImportResult()
    with transaction.atomic():
        existing = {
            user.phone: user
            for user in User.objects.select_for_update().filter(
                phone__in=[row.phone for row in valid]
            )
        }
        taken_usernames = set(
            User.objects.filter(username__in=[row.phone for row in valid]).values_list(
                "username", flat=True
            )
        )
        to_create, to_update = [], []
        for row in valid:
            user = existing.get(row.phone)
            values = {
                "name": row.name,
                "unit_id": row.unit.pk,
                "position": row.position,
                "category": row.category,
            }
            if user is None:
                if row.phone in taken_usernames:
                    raise RosterImportError(
                        [
                            RowError(
                                row.number,
                                COLUMNS["phone"],
                                _("an account with the user name %(phone)s already exists")
                                % {"phone": row.phone},
                            )
                        ]
                    )
                password = one_time_password_generate()
                to_create.append(
                    User(
                        username=row.phone,
                        phone=row.phone,
                        password=make_password(password, hasher="pbkdf2_otp"),
                        must_change_password=True,
                        **values,
                    )
                )
                result.new_accounts.append(NewAccount(row.name, row.phone, password, row.unit.name))
            elif any(getattr(user, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(user, key, value)
                to_update.append(user)
            else:
                result.unchanged += 1
        User.objects.bulk_create(to_create, batch_size=500)
        User.objects.bulk_update(to_update, UPDATABLE, batch_size=500)
        created_ids = list(
            User.objects.filter(phone__in=[u.phone for u in to_create]).values_list("pk", flat=True)
        )
        _add_to_cadre_group(created_ids)
        roster_changed.send(User, user_ids=[*created_ids, *(user.pk for user in to_update)])
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _add_to_cadre_group(user_ids: list[int]) -> None:
    from django.contrib.auth.models import Group

    from .roles import Role

    group, _created = Group.objects.get_or_create(name=Role.CADRE)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=user_id, group_id=group.pk) for user_id in user_ids],
        ignore_conflicts=True,
        batch_size=500,
    )
