"""Sent by editions.workflows after an edition is published (and its text frozen)."""

from django.dispatch import Signal

#: sent with edition=<Edition> once the publication is committed
edition_published = Signal()
