"""An organizer writes to the waiting list from the registration desk; the mailing worker sends it."""

import pytest
from selenium.webdriver.support.ui import Select

from partnerpost.content import demo
from partnerpost.mailing.worker import Worker
from partnerpost.network.models import Partner
from partnerpost.registration import workflows
from tests.browser.test_journey import Session
from tests.registration.conftest import make_event, open_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_writes_to_the_waiting_list_and_follows_it_on_the_desk(browser, live_server, smtp, settings):
    settings.SITE_URL = live_server.url
    demo.load(log=lambda *_: None)
    item = make_event(Partner.objects.get(acronym="ICAP"), title="Taller virtual: presupuesto por resultados")
    open_registration(item, capacity=1)
    for name, email in [("María Solís", "maria@example.org"), ("José Rivas", "jose@example.org"), ("Lucía Herrera", "lucia@example.org")]:
        workflows.register(item, name=name, email=email, answers={"organization": "Ministerio de Hacienda"})
    smtp.messages.clear()
    s = Session(browser, live_server.url)
    s.sign_in("icap")
    s.go(f"/workspace/events/{item.pk}/registrations/")
    s.find("select[name='audience']")  # the panel the mailing app serves, loaded by htmx
    Select(s.find("select[name='audience']")).select_by_value("waiting")
    s.type("subject", "Sala nueva")
    s.type("message", "El taller pasa a la sala 4.")
    s.button("Send")
    s.wait_message("2 emails are on their way.")
    s.find("td[data-count='waiting']")
    assert s.find("td[data-count='waiting']").text == "2"
    browser.execute_script("arguments[0].scrollIntoView()", s.find("td[data-count='waiting']"))
    s.shot("14-registrants-message-queued")
    Worker(connections=1).run(until_idle=True)
    assert sorted(r[0] for r, _ in smtp.messages) == ["jose@example.org", "lucia@example.org"]
    s.go(f"/workspace/events/{item.pk}/registrations/")
    s.find("td[data-count='sent']")
    assert [s.find(f"td[data-count='{name}']").text for name in ("sent", "waiting", "failed")] == ["2", "0", "0"]
    browser.execute_script("arguments[0].scrollIntoView()", s.find("td[data-count='sent']"))
    s.shot("14-registrants-message-sent")
