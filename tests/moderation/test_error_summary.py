"""Forms sent back with errors, on every kind of page: the summary at the top lists each
problem as a link to its field, the title starts "Error: ", every aria-describedby names
ids that exist, and fields are marked required or optional."""

import lxml.html
import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from tests.support.pages import NEW_DEPLOYMENT_URL, deployment_post
from tests.support.people import signed_in
from tracker.forms import SiteForm, error_summary

pytestmark = pytest.mark.django_db


def parsed(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def summary_links(page):
    """(href, text) of each link in the error summary, which must lead <main>."""
    main = page.get_element_by_id("main")
    first = next(child for child in main if child.tag != "script")
    assert "error-summary" in first.get("class", ""), "the summary is not at the top of <main>"
    assert first.get("tabindex") == "-1"  # site.js moves focus to it
    assert first.xpath(".//*[@role='alert']")
    return [(a.get("href"), a.text_content().strip()) for a in first.xpath(".//a")]


def dangling_descriptions(page):
    """aria-describedby ids that name no element of the page."""
    ids = set(page.xpath("//@id"))
    return [
        (element.get("name") or element.tag, name)
        for element in page.xpath("//*[@aria-describedby]")
        for name in element.get("aria-describedby").split()
        if name not in ids
    ]


def test_a_forgotten_source_is_summarised_at_the_top_with_a_link_to_its_field(volunteer):
    response = signed_in(volunteer).post(
        NEW_DEPLOYMENT_URL, deployment_post(source_url_1="", source_title_1="")
    )
    page = parsed(response)
    assert page.findtext(".//title").startswith("Error: ")
    links = summary_links(page)
    assert links == [
        (
            "#id_source_url_1",
            "Source link 1: Give at least one source: a link to where this is reported.",
        )
    ]
    field = page.get_element_by_id("id_source_url_1")
    assert "id_source_url_1_error" in field.get("aria-describedby").split()
    assert field.get("aria-invalid") == "true"
    assert dangling_descriptions(page) == []


def test_several_errors_are_listed_in_the_order_of_the_fields(volunteer):
    page = parsed(
        signed_in(volunteer).post(
            NEW_DEPLOYMENT_URL,
            deployment_post(title="", camera_count="-4", source_url_1="not a link"),
        )
    )
    targets = [href for href, _ in summary_links(page)]
    assert targets == ["#id_title", "#id_camera_count", "#id_source_url_1"]
    assert dangling_descriptions(page) == []


def test_an_unsent_form_has_no_summary_and_marks_required_and_optional_fields(volunteer):
    page = parsed(signed_in(volunteer).get(NEW_DEPLOYMENT_URL))
    assert not page.find_class("error-summary")
    assert not page.findtext(".//title").startswith("Error")
    label = page.xpath("//label[@for='id_title']")[0].text_content()
    assert "(required)" in label
    assert page.get_element_by_id("id_title").get("required") is not None
    assert "(optional)" in page.xpath("//label[@for='id_district']")[0].text_content()
    assert dangling_descriptions(page) == []


def test_the_sign_up_password_rules_are_a_list_the_field_is_described_by():
    page = parsed(Client().post(reverse("account_signup"), {"email": "x@example.org"}))
    help_block = page.get_element_by_id("id_password1_helptext")
    assert help_block.tag == "div" and help_block.xpath(".//li")
    assert not page.xpath("//p//ul")  # a list inside a paragraph is emptied by the browser
    assert "id_password1_helptext" in page.get_element_by_id("id_password1").get("aria-describedby")
    assert [href for href, _ in summary_links(page)] == [
        "#id_display_name",
        "#id_password1",
        "#id_password2",
    ]
    assert dangling_descriptions(page) == []


def test_the_rti_calculator_uses_the_same_pattern(client):
    page = parsed(client.get("/rti/calculator/?received_on=2024-02-30&via_apio=on"))
    assert page.findtext(".//title").startswith("Error: ")
    (href, text), *_ = summary_links(page)
    assert href == "#id_received_on" and "Not a real date" in text
    assert dangling_descriptions(page) == []


def test_sign_in_errors_are_summarised(volunteer):
    page = parsed(
        Client().post(
            reverse("account_login"), {"login": "ravi.private@example.org", "password": "no"}
        )
    )
    assert page.findtext(".//title").startswith("Error: ")
    summary = page.find_class("error-summary")[0].text_content()
    assert "not correct" in summary
    assert dangling_descriptions(page) == []


def test_the_profile_form_uses_the_same_pattern(volunteer):
    page = parsed(signed_in(volunteer).post(reverse("accounts:profile"), {"first_name": "a@b.c"}))
    assert summary_links(page) == [
        ("#id_first_name", "Public display name: A display name cannot contain an e-mail address.")
    ]


class Choices(SiteForm):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(required=False)

    def clean(self):
        self.add_error(None, "Something about the whole form.")


def test_error_summary_links_a_radio_group_to_its_first_radio():
    items = error_summary(Choices(data={}))
    assert [(item.target, item.message) for item in items] == [
        ("", "Something about the whole form."),
        ("id_kind_0", "This field is required."),
    ]
    assert error_summary(Choices()) == []  # unbound: nothing to say
