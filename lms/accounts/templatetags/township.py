"""{% site_name %}: the township's name for the site, as the admin's title bar and
dashboard show it to every role."""

from django import template
from django.conf import settings
from wagtail.models import Site

register = template.Library()


def site_name_of(request) -> str:
    """The name HR gave the site (seed_demo: 青山镇干部学法), else the project's own.

    Not Wagtail's choice: it takes the site of the pages a user may explore, so HR (no page
    permissions) and the admin (the tree's root, which belongs to no site) read
    WAGTAIL_SITE_NAME, and a site with no name reads as its hostname ("localhost")."""
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def site_name(context) -> str:
    return site_name_of(context.get("request"))
