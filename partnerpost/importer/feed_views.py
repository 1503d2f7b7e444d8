"""The workspace page of a partner's feeds: list, add, poll now, resume, remove. Thin: the workflows decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerpost.network.access import require
from partnerpost.network.permissions import can_manage_feeds, feed_partners

from . import feed_workflows
from .feed_forms import FeedForm
from .feed_models import Feed


def manages_feeds(user) -> bool:
    return feed_partners(user).exists()


@require(manages_feeds)
def feed_list(request):
    partners = feed_partners(request.user)
    form = FeedForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            feed = feed_workflows.add_feed(request.user, form.cleaned_data["partner"], form.cleaned_data["url"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The feed %(url)s is registered. Its new entries will arrive as drafts "
                                        "at the next poll.") % {"url": feed.url})
            return redirect("importer_feeds:list")
    feeds = (Feed.objects.filter(partner__in=partners).select_related("partner")
             .annotate(entry_count=Count("entries")).order_by("partner__acronym", "url"))
    return render(request, "importer/feeds.html", {
        "form": form, "feeds": feeds, "many_partners": partners.count() > 1,
    })


def _own_feed(request, pk) -> Feed:
    feed = get_object_or_404(Feed.objects.select_related("partner"), pk=pk)
    if not can_manage_feeds(request.user, feed.partner):
        raise Http404  # another partner's feed: not even its existence is told
    return feed


@require(manages_feeds)
@require_POST
def feed_poll(request, pk):
    feed = _own_feed(request, pk)
    report = feed_workflows.poll_feed(feed)
    if report["error"]:
        messages.error(request, _("The feed could not be read: %(error)s") % {"error": report["error"]})
    elif report["status"] == "not_modified":
        messages.info(request, _("The feed has not changed since the last poll."))
    else:
        messages.success(request, _("Feed read. New drafts: %(new)d. Drafts updated: %(updated)d. "
                                    "Entries unchanged or already known: %(skipped)d.") % {
            "new": report["new"], "updated": report["updated"], "skipped": report["skipped"]})
        for problem in report["errors"]:
            messages.warning(request, _("Entry not saved: %(problem)s") % {"problem": problem})
    return redirect("importer_feeds:list")


@require(manages_feeds)
@require_POST
def feed_resume(request, pk):
    feed = feed_workflows.resume_feed(request.user, _own_feed(request, pk))
    messages.success(request, _("The feed %(url)s will be polled again.") % {"url": feed.url})
    return redirect("importer_feeds:list")


@require(manages_feeds)
@require_POST
def feed_remove(request, pk):
    feed = _own_feed(request, pk)
    feed_workflows.remove_feed(request.user, feed)
    messages.success(request, _("The feed %(url)s is removed. The items it made stay.") % {"url": feed.url})
    return redirect("importer_feeds:list")
