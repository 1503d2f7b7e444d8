"""The sending desk on an edition's page in the workspace.

The composer (editions) sits below mailing and may not import it; its template loads this tag
instead, so the page shows the desk: a test send, "Send to N subscribers", the live progress of a
send with pause, resume and cancel, and the way to the delivery report."""

from django import template

from partnerpost.mailing.workflows import MAX_TEST_ADDRESSES, desk

register = template.Library()


@register.inclusion_tag("mailing/_sending_panel.html", takes_context=True)
def sending_panel(context, edition):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "edition": edition, "d": desk(edition), "csrf_token": context.get("csrf_token"), "request": request,
        "test_addresses": getattr(user, "email", "") or "", "max_test": MAX_TEST_ADDRESSES,
    }
