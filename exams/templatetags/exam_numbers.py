"""Numbers on the cadre's exam pages, each with its unit: points, and moments written the
Chinese way (12月1日 09:00, with the year only when it is not this year)."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
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
