"""Exam slots (县里分批考试): which slot a cadre has, whether they may start now, how a
slot reads, and what makes a paper's slots invalid.

The rule, as an HR clerk sets it: a slot names units, and a unit's slot covers the units
below it. A cadre follows the slots of the nearest unit at or above their own that has
any (the township in the morning, but one village in the afternoon: that village's
cadres sit in the afternoon), and may start a new attempt only inside one of them. A
cadre whose units have no slot follows the exam's own window: a unit the clerk forgot
must not be locked out on exam day, and a clerk who wants every unit batched gives the
top unit a slot of its own. An attempt started in a slot ends with the slot at the
latest, so that one batch is done when the next one starts.

The start reads slots from the exam's plan (no query, exams/services/draw.py); pages read
the one slot they show with `exam_slot_for` (one query)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses.audience import ancestor_paths


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    unit_paths: tuple[str, ...]

    @property
    def text(self) -> str:
        return slot_text(self.starts_at, self.ends_at)


def _unit_path(user) -> str:
    unit = getattr(user, "unit", None)
    return unit.path if unit is not None else ""


def cadre_slots(slots: list[Slot], unit_path: str) -> list[Slot]:
    """The slots this unit's cadres follow: those of the nearest unit at or above theirs
    that has any; none when no slot covers the unit."""
    if not unit_path:
        return []
    reach = {
        slot: max((len(path) for path in slot.unit_paths if unit_path.startswith(path)), default=0)
        for slot in slots
    }
    nearest = max(reach.values(), default=0)
    if not nearest:
        return []
    return sorted((slot for slot, depth in reach.items() if depth == nearest), key=_start_key)


def _start_key(slot: Slot):
    return slot.starts_at


def slot_shown(slots: list[Slot], now: datetime) -> Slot | None:
    """The slot a cadre is told about: the open one, else the next, else the last."""
    if not slots:
        return None
    for slot in slots:
        if now < slot.ends_at:
            return slot
    return slots[-1]


def slot_open(slots: list[Slot], now: datetime) -> Slot | None:
    return next((slot for slot in slots if slot.starts_at <= now < slot.ends_at), None)


def slot_text(starts_at: datetime, ends_at: datetime) -> str:
    """12月5日 09:00 – 11:00 (the end's date only when it is another day)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    this_year = timezone.localdate().year
    if start.year == this_year:
        first = date_format(start, pgettext("date and time in this year", "M j, H:i"))
    else:
        first = date_format(start, pgettext("date and time in another year", "M j, Y, H:i"))
    if end.date() == start.date():
        last = end.strftime("%H:%M")
    else:
        last = date_format(end, pgettext("date and time in this year", "M j, H:i"))
    return f"{first} – {last}"


def slot_refusal(slots: list[Slot], user, now: datetime) -> tuple[Slot | None, str | None]:
    """(the cadre's open slot, None) if they may start now as far as slots go; (None,
    message) if their unit has slots and none is open. (None, None): no slot for them."""
    mine = cadre_slots(slots, _unit_path(user))
    if not mine:
        return None, None
    open_now = slot_open(mine, now)
    if open_now is not None:
        return open_now, None
    shown = slot_shown(mine, now)
    if now < shown.starts_at:
        message = _("Your exam slot: %(slot)s. You can start the exam only within your slot.")
    else:
        message = _("Your exam slot was %(slot)s and has ended, so you can no longer start.")
    return None, message % {"slot": shown.text}


def exam_slot_for(*, exam, user, now=None) -> Slot | None:
    """The slot shown to this cadre for this exam (the open one, else the next, else the
    last), or None: one query, for pages (a start reads the exam's plan instead)."""
    from exams.models import ExamSlot

    paths = ancestor_paths(getattr(user, "unit", None))
    if not paths:
        return None
    rows = ExamSlot.units.through.objects.filter(examslot__exam=exam, orgunit__path__in=paths)
    slots = slots_from_rows(
        rows.values_list("examslot_id", "examslot__starts_at", "examslot__ends_at", "orgunit__path")
    )
    return slot_shown(cadre_slots(slots, _unit_path(user)), now or timezone.now())


def slots_from_rows(rows) -> list[Slot]:
    """Slots from (slot id, starts, ends, unit path) rows, one row per slot and unit."""
    by_slot: dict[int, tuple] = {}
    for slot_id, starts_at, ends_at, path in rows:
        starts, ends, paths = by_slot.get(slot_id, (starts_at, ends_at, ()))
        by_slot[slot_id] = (starts, ends, (*paths, path))
    return [Slot(starts, ends, paths) for starts, ends, paths in by_slot.values()]


def slot_problems(*, exam, starts_at, ends_at, units, others) -> dict[str | None, list[str]]:
    """Why this slot cannot be saved, by form field: it ends after it starts, lies in the
    exam's open time, names a unit, and overlaps no other slot of the exam (`others`: their
    starts, ends and units) that names one of its units (whose cadres would follow which?).
    """
    problems: dict[str | None, list[str]] = {}
    text = slot_text(starts_at, ends_at)
    if ends_at <= starts_at:
        problems.setdefault("ends_at", []).append(_("The slot must end after it starts."))
        return problems
    if starts_at < exam.opens_at or ends_at > exam.closes_at:
        problems.setdefault(None, []).append(
            _("The slot %(slot)s must lie within the exam's open time %(window)s.")
            % {"slot": text, "window": slot_text(exam.opens_at, exam.closes_at)}
        )
    if not units:
        problems.setdefault("units", []).append(_("Choose at least one unit."))
    separator = pgettext("list separator", ", ")
    for other_starts, other_ends, other_units in others:
        shared = [unit for unit in units if unit in other_units]
        if shared and starts_at < other_ends and other_starts < ends_at:
            problems.setdefault(None, []).append(
                _("For %(units)s this slot overlaps the slot %(other)s of the same exam.")
                % {
                    "units": separator.join(str(unit) for unit in shared),
                    "other": slot_text(other_starts, other_ends),
                }
            )
    return problems
