"""Sent by the workflow functions once a change to an item is committed.

Apps that keep derived copies of items (the search index) listen here, so that the workflow
stays the one place where changes happen and content does not import them."""

from django.dispatch import Signal

#: sent with item=<Item> after any create, edit or state change is committed
item_changed = Signal()
