"""Refuses, with a 404, admin chooser URLs whose object ids are not numbers.

Every chooser of the admin (questions, images, documents, laws) answers
`…/chosen/<pk>/` and `…/chosen-multiple/?id=…`; Wagtail passes the id to
`objects.get(pk=…)`, which raises ValueError for "x" on an integer key: a 500. All our
choosable models have integer keys, so one check in front of every chooser covers them all,
the ones Wagtail adds as well as ours.
"""

import re

from django.http import Http404

_CHOSEN = re.compile(r"^/admin/.+/chosen/(?P<pk>[^/]*)/$")
_CHOSEN_MULTIPLE = re.compile(r"^/admin/.+/chosen-multiple/$")


class ChooserIdGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if "/chosen" in path:
            chosen = _CHOSEN.match(path)
            if chosen and not chosen["pk"].isdigit():
                raise Http404
            if _CHOSEN_MULTIPLE.match(path) and not all(
                pk.isdigit() for pk in request.GET.getlist("id")
            ):
                raise Http404
        return self.get_response(request)
