"""Study endpoints called by the lesson page's script."""

from django.http import JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def heartbeat(request):
    return JsonResponse({"error": "not implemented"}, status=501)
