from django import template

register = template.Library()


@register.filter
def join_if_list(value):
    """A list of answers as "a; b", anything else as it is."""
    return "; ".join(value) if isinstance(value, list) else value


@register.simple_tag
def accepted_papers(item):
    """The programme list of an event: the accepted papers published to it by a review panel."""
    from partnerpost.calls.review_workflows import programme_for

    return programme_for(item)
