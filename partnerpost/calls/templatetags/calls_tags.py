from django import template

register = template.Library()


@register.filter
def join_if_list(value):
    """A list of answers as "a; b", anything else as it is."""
    return "; ".join(value) if isinstance(value, list) else value
