"""Template filters of the exam statistics: shares shown as percentages."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(share):
    """A share from 0 to 1 as a percentage with at most one decimal: 0.7777 → "77.8%".
    Rates are shown to people as percentages everywhere, never as "0.778"."""
    if share is None or share == "":
        return "—"
    return f"{floatformat(float(share) * 100, -1)}%"
