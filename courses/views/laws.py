"""The public law library: the list of laws and one law's full text. No sign-in needed: laws
are public documents, and a lesson links its quoted articles here."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses import selectors_laws
from courses.models import Law, LawCategory, LawKind, LawStatus

LAWS_PER_PAGE = 30


class LawFilterForm(forms.Form):
    q = forms.CharField(label=_("Search laws"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=pgettext_lazy("law", "Kind"),
        required=False,
        choices=[("", _("All kinds")), *LawKind.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *LawCategory.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *LawStatus.choices]
    )
    year = forms.IntegerField(
        label=_("New laws of year"), required=False, min_value=1949, max_value=2100
    )


def law_list(request):
    form = LawFilterForm(request.GET)
    if form.is_valid():
        laws = selectors_laws.law_list(**{k: v for k, v in form.cleaned_data.items() if v})
        status = 200
    else:
        laws = Law.objects.none()
        status = 400
    page = Paginator(laws, LAWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "query": query.urlencode(),
        "years": selectors_laws.law_effective_years(),
        "year": form.cleaned_data.get("year") if status == 200 else None,
    }
    return render(request, "courses/law_list.html", context, status=status)


def law_detail(request, slug):
    try:
        law = selectors_laws.law_with_articles(slug)
    except Law.DoesNotExist:
        raise Http404 from None
    entries, contents = selectors_laws.law_outline(law.articles.all())
    context = {"law": law, "entries": entries, "contents": contents}
    return render(request, "courses/law_detail.html", context)
