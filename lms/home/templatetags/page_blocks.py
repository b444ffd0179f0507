"""{% repeat_block "title" %}: a block of the page rendered once more, so a page's heading
can repeat its <title> without the page writing the words twice (Django renders each
block in one place only)."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def repeat_block(context, name):
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    # The most derived version of the block, as the page shows it where it stands.
    return block.render(context) if block is not None else ""
