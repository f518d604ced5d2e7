"""Keyboard use of the language selector and colour contrast, measured in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.factories import MeetingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTRAST = """
(args) => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const blend = (fg, bg) => {
    const a = fg.length > 3 ? fg[3] : 1;
    return [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgroundOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const el = document.querySelector(args.selector);
  const style = getComputedStyle(el);
  const bg = backgroundOf(el.parentElement);
  const fg = blend(parse(style[args.property]), bg);
  return Math.round(ratio(fg, bg) * 100) / 100;
}
"""


def contrast(page, selector, prop):
    return page.evaluate(CONTRAST, {"selector": selector, "property": prop})


def test_arrow_down_on_the_language_selector_does_not_navigate(page, live_server):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    select = page.locator("#language-select")
    select.focus()
    navigations = []

    def navigated(frame):
        navigations.append(frame.url)

    page.on("framenavigated", navigated)
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(700)
    page.remove_listener("framenavigated", navigated)
    assert navigations == []
    expect(select).to_have_value("en")
    assert page.locator("html").get_attribute("lang") == "id"
    # The change takes effect when the person confirms it.
    with page.expect_navigation():
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_navbar_links_and_checkbox_borders_have_enough_contrast(page, live_server):
    MeetingFactory()
    page.goto("/accounts/login/")
    ratios = {
        "navbar link": contrast(page, "nav.navbar .nav-link", "color"),
        "checkbox border": contrast(page, "input[type=checkbox].form-check-input", "borderTopColor"),
        "text input border": contrast(page, "input[name=login]", "borderTopColor"),
    }
    assert {
        name: value >= (4.5 if name == "navbar link" else 3) for name, value in ratios.items()
    } == dict.fromkeys(ratios, True), ratios
