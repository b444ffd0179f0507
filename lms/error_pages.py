"""The site's own error pages under the development server.

With DEBUG on, Django answers a wrong address with its technical 404 page, in English and
listing every URL pattern. `make run` serves with DEBUG on (for the 500 traceback), yet a
cadre trying the demo should meet the page production shows, so the development settings
put this middleware in front: it swaps any HTML 404 for the site's `404.html`.
"""

from django.http import Http404
from django.views.defaults import page_not_found


class SiteNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return page_not_found(request, Http404())
        return response
