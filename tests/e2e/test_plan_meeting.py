"""An organizer plans a two-day hybrid meeting in the browser; the public page in both languages."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import AgendaRole, Meeting
from tests.e2e.conftest import wait_for_htmx
from tests.factories import OrganizerFactory, PersonFactory

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def add_item(page, day, start, end, title):
    form = page.locator(f"#day-{day.pk} form[hx-post$='/items/new/']")
    page.locator(f"#day-{day.pk} details").evaluate("details => { details.open = true; }")
    form.locator("input[name=start_time]").fill(start)
    form.locator("input[name=end_time]").fill(end)
    form.locator("input[name=title]").fill(title)
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#day-{day.pk}")).to_contain_text(title)


def test_organizer_plans_publishes_and_public_page_speaks_both_languages(page):
    organizer = OrganizerFactory(email="penyelenggara@example.test", full_name="Lismia Elita")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    speaker = PersonFactory(full_name="Rendra Setiawan", position="Direktur Bina Penempatan")

    log_in(page, organizer.email, "secret-pass-123")

    # Create the meeting with two days.
    page.goto("/meetings/new/")
    page.fill("input[name=title]", "FGD Pengawasan P3MI 2031")
    page.fill("input[name=theme]", "Sinergi dan Koordinasi Multi Stakeholder")
    page.select_option("select[name=kind]", "fgd")
    page.select_option("select[name=mode]", "hybrid")
    page.select_option("select[name=timezone]", "Asia/Jakarta")
    page.fill("input[name=venue_name]", "Gedung BP2MI")
    page.fill("input[name=capacity_onsite]", "40")
    page.fill("input[name=capacity_online]", "300")
    page.fill("input[name=days-0-date]", "2031-09-22")
    page.fill("input[name=days-0-start_time]", "09:00")
    page.fill("input[name=days-0-end_time]", "15:00")
    page.fill("input[name=days-1-date]", "2031-09-23")
    page.fill("input[name=days-1-start_time]", "09:00")
    page.fill("input[name=days-1-end_time]", "12:00")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/meetings/[a-z0-9]{8}/$"))

    meeting = Meeting.objects.get(title="FGD Pengawasan P3MI 2031")
    day1, day2 = meeting.days.order_by("date")
    assert list(meeting.organizers.all()) == [organizer]

    # Three agenda items, edited in place with htmx.
    page.goto(meeting.urls.agenda)
    add_item(page, day1, "09:00", "10:00", "Pembukaan")
    add_item(page, day1, "10:00", "12:00", "Paparan Narasumber")
    add_item(page, day2, "09:00", "11:00", "Diskusi dan Rekomendasi")
    assert list(meeting.days.order_by("date").values_list("items__title", flat=True)) == [
        "Pembukaan",
        "Paparan Narasumber",
        "Diskusi dan Rekomendasi",
    ]

    # A speaker for the presentation, chosen from the directory.
    item = day1.items.get(title="Paparan Narasumber")
    page.locator(f"#item-{item.pk} a[href$='/items/{item.pk}/roles/']").click()
    roles = page.locator(f"#agenda-roles-{item.pk}")
    picker = roles.locator("input[name=person_text]")
    expect(picker).to_be_visible()
    wait_for_htmx(page)
    picker.press_sequentially("Rendra")
    suggestion = roles.locator("datalist option")
    expect(suggestion).to_have_count(1)
    picker.fill(suggestion.get_attribute("value"))
    expect(roles.locator("input[name=person]")).to_have_value(str(speaker.pk))
    roles.locator("select[name=role]").select_option("speaker")
    roles.locator("button[type=submit]").click()
    # The person's name is in the picker too: wait for the swapped-in list of assigned roles.
    expect(page.locator(f"#agenda-roles-{item.pk} li .fw-semibold")).to_have_text(["Rendra Setiawan"])
    assert list(AgendaRole.objects.values_list("agenda_item__title", "person__full_name", "role")) == [
        ("Paparan Narasumber", "Rendra Setiawan", "speaker")
    ]

    # Publish from the meeting page.
    page.goto(meeting.urls.detail)
    with page.expect_navigation():
        page.locator(f"form[action='{meeting.urls.publish}'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    # The public page, as a visitor, in Indonesian first.
    visitor = page.context.browser.new_context(base_url=page.url.split("/meetings/")[0], locale="id-ID")
    public = visitor.new_page()
    public.goto(meeting.urls.public)
    body = public.locator("main")
    expect(body).to_contain_text("FGD Pengawasan P3MI 2031")
    expect(body).to_contain_text("Senin, 22 September 2031")
    expect(body).to_contain_text("Selasa, 23 September 2031")
    expect(body).to_contain_text("09.00–15.00 WIB")
    expect(body).to_contain_text("Narasumber:")
    expect(body).to_contain_text("Rendra Setiawan")
    expect(body).to_contain_text("Hibrida")
    assert public.locator("html").get_attribute("lang") == "id"

    # Switching to English.
    public.select_option("#language-select", "en")
    with public.expect_navigation():
        public.locator("#language-form button[type=submit]").click()
    expect(public.locator("html")).to_have_attribute("lang", "en")
    body = public.locator("main")
    expect(body).to_contain_text("Monday, 22 September 2031")
    expect(body).to_contain_text("09:00–15:00 WIB")
    expect(body).to_contain_text("Speakers:")
    expect(body).to_contain_text("Hybrid")
    expect(body).not_to_contain_text("Senin")
    visitor.close()
