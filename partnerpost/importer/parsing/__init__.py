"""From lines of a newsletter to items: clean, find the period, split into partner sections and items,
and read each item's fields with where they came from and how sure we are.

No Django here. Known partners arrive as plain dicts ({"acronym": ..., "name": ...}).

- text: folding for comparisons, normalising, stripping Markdown markup;
- partners: the partner index;
- blocks: boilerplate removed, lines into blocks, the raw item;
- segmenting: headings, sections and entries, segment();
- prose: items inside paragraphs.
"""

from .blocks import BOILERPLATE, TOC_HEADING, Block, RawItem, join_lines, make_blocks, remove_boilerplate
from .partners import PartnerIndex
from .prose import prose_items, prose_title
from .segmenting import heading_score, segment
from .text import fold, is_placeholder, normalise, strip_markup

__all__ = [
    "BOILERPLATE", "TOC_HEADING", "Block", "PartnerIndex", "RawItem", "fold", "heading_score", "is_placeholder", "join_lines",
    "make_blocks", "normalise", "prose_items", "prose_title", "remove_boilerplate", "segment", "strip_markup",
]
