"""Contributors' Markdown as HTML that is safe to show: the one sanitiser.

Pages (the ``markdown`` template filter) and Atom feeds both use it, so a
feed reader never receives a tag or attribute the site itself would drop.
"""

import markdown as md
import nh3
from django.utils.safestring import mark_safe

MARKDOWN_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre"}


def markdown_html(text):
    """Markdown as HTML with only harmless tags (links get rel=noopener nofollow)."""
    html = md.markdown(text or "", extensions=[], output_format="html")
    return mark_safe(nh3.clean(html, tags=MARKDOWN_TAGS, link_rel="noopener nofollow"))
