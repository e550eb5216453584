"""The RTI calculator in Hindi, in a real Chromium with JavaScript switched off."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.browser import SCREENSHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def hindi_page(browser):
    context = browser.new_context(locale="hi-IN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_calculator_in_hindi_without_javascript(hindi_page, live_server):
    page = hindi_page
    page.goto(live_server.url + "/hi/rti/calculator/")
    assert page.locator("h1").inner_text() == "आरटीआई समय-सीमा कैलकुलेटर"
    page.get_by_label("लोक प्राधिकरण को अनुरोध मिलने की तारीख़").fill("2024-01-10")
    page.get_by_role("button", name="मेरी समय-सीमाएँ दिखाएँ").click()
    page.wait_for_selector("#result")

    # The answer is bookmarkable: the inputs are in the address.
    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == "/hi/rti/calculator/"
    assert query["received_on"] == ["2024-01-10"]
    assert page.get_by_role("heading", name="आपकी समय-सीमाएँ").is_visible()

    decision = page.locator("tr[data-deadline='decision']")
    assert "लोक सूचना अधिकारी का निर्णय" in decision.inner_text()
    assert decision.locator(".due-calendar time").get_attribute("datetime") == "2024-02-09"
    appeal = page.locator("tr[data-deadline='first_appeal']")
    assert "प्रथम अपील दायर करने का अंतिम दिन" in appeal.inner_text()
    assert "19(1)" in appeal.inner_text()
    # Calendar days and the next working day side by side: Sunday 10 March moves to the 11th.
    assert appeal.locator(".due-calendar time").get_attribute("datetime") == "2024-03-10"
    assert appeal.locator(".due-working time").get_attribute("datetime") == "2024-03-11"
    assert "मार्च" in appeal.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "rti-calculator-hi.png"), full_page=True)

    # A bookmarked answer opens as it was; a bad date is explained in Hindi beside its field.
    page.goto(page.url)
    assert page.locator("tr[data-deadline='first_appeal']").count() == 1
    page.goto(live_server.url + "/hi/rti/calculator/?received_on=2024-02-30")
    assert "यह सही तारीख़ नहीं है" in page.locator("#id_received_on_error").inner_text()
