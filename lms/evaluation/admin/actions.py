"""The page every evaluation action in the admin is: a title, what the action does, a
form and its buttons; on POST one service call. The services have the final word, so
what they refuse is said on the page again instead of being a server error."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views import View
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

# Refusals because of the state the object is in (finalised, already decided, not
# finalised) rather than because of what was typed.
CONFLICT_CODES = ("finalised", "decided", "open")


def refusal_status(error: ValidationError) -> int:
    return 409 if getattr(error, "code", None) in CONFLICT_CODES else 400


class ActionView(WagtailAdminTemplateMixin, View):
    """An action page: GET shows it, POST validates the form, then `perform` calls the
    service. A refusal is an error message (or a field error, for a code named in
    `error_fields`) and the page again, answered 403, 409 or 400; success is a message
    and a redirect to `get_success_url`.

    Subclasses set `permission` (checked as Wagtail's permission_required decorator does),
    `page_title`, `intro`, `form_class`, `actions` (the submit buttons: name, label) and
    `success_message`, and give `get_back_url` and `perform`."""

    permission: str
    form_class = None
    intro = ""
    actions: list[tuple[str, str]] = []
    success_message = ""
    error_fields: dict[str, str] = {}
    template_name = "evaluation/admin/action_form.html"
    header_icon = "date"
    # No breadcrumbs: the page has Wagtail's plain header with its title.
    breadcrumbs_items = []

    @classmethod
    def as_view(cls, **initkwargs):
        return permission_required(cls.permission)(super().as_view(**initkwargs))

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()

    def get_object(self):
        return None

    def get_form(self):
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST or None, **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {}

    def get_intro(self) -> str:
        return self.intro

    def get_actions(self) -> list[tuple[str, str]]:
        return self.actions

    def get_back_url(self) -> str:
        raise NotImplementedError

    def perform(self, form) -> None:
        """Call the service; it raises PermissionDenied or ValidationError to refuse."""
        raise NotImplementedError

    def get_success_message(self) -> str:
        return self.success_message

    def get_success_url(self) -> str:
        return self.get_back_url()

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form is not None and not form.is_valid():
            return self.render(form, status=400)
        try:
            self.perform(form)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return self.render(form, status=403)
        except ValidationError as error:
            field = self.error_fields.get(getattr(error, "code", None))
            if form is not None and field:
                form.add_error(field, error)
            else:
                messages.error(request, " ".join(error.messages))
            return self.render(form, status=refusal_status(error))
        messages.success(request, self.get_success_message())
        return redirect(self.get_success_url())

    def render(self, form, status=200):
        context = self.get_context_data(
            form=form, intro=self.get_intro(), actions=self.get_actions(), back=self.get_back_url()
        )
        return self.render_to_response(context, status=status)
