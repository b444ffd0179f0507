"""Template helpers for law references: one way of writing and linking them everywhere
(see courses.law_references)."""

from django import template

from courses.law_references import article_link, law_reference_html, library_article_label

register = template.Library()


@register.simple_tag
def law_reference(law, articles=""):
    """{% law_reference question.law question.law_articles %} -> 《行政处罚法》第三十三条."""
    return law_reference_html(law, articles)


@register.simple_tag
def article_url(law, article):
    return article_link(law, article).url


@register.filter
def article_label(article):
    """A library article's label in the official numerals (第三十三条, 第十条之一)."""
    return library_article_label(article)
