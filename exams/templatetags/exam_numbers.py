"""Numbers on the cadre's exam pages, each with its unit: points, and moments written the
Chinese way (12月1日 09:00, with the year only when it is not this year)."""

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def moment(value):
    """A date and time without seconds; the year only when it is not the current one."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.year == timezone.localdate().year:
        return date_format(local, pgettext("date and time in this year", "M j, H:i"))
    return date_format(local, pgettext("date and time in another year", "M j, Y, H:i"))


@register.filter
def points(value):
    """Points as few digits as they need: 10, 7.5, 3.33 (scores are kept to cents)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = format(number.normalize(), "f")
    return number_format(Decimal(text))
