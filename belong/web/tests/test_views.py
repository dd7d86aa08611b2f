"""The shared layout, the home page, the sign-in pages and how refusals become pages."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client, RequestFactory
from django.urls import reverse

from belong.communities.models import MembershipState
from belong.communities.tests.factories import CommunityFactory, MembershipFactory
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound, RateLimited
from belong.web.errors import add_form_errors, attempt, web_view

pytestmark = pytest.mark.django_db


def test_home_lists_communities_with_member_counts_and_join_policy(client):
    community = CommunityFactory(name="Trailhead Outfitters", description="Gear talk")
    MembershipFactory.create_batch(2, community=community)
    MembershipFactory(community=community, state=MembershipState.PENDING)
    response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trailhead Outfitters" in html
    assert "2 members" in html
    assert "Open: anyone can join" in html
    assert 'id="my-communities"' not in html


def test_home_shows_my_communities_with_role_and_state(member, member_client):
    html = member_client.get(reverse("web:home")).content.decode()
    assert 'id="my-communities"' in html
    assert "Active" in html


def test_the_layout_has_landmarks_skip_link_language_switcher_and_htmx(client):
    html = client.get(reverse("web:home")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert f'action="{reverse("web:language")}" method="get"' in html  # a visitor's: no CSRF token
    assert '<select id="language-select" name="language">' in html
    assert 'href="/api/v1/docs"' in html
    assert "htmx" in html and "<script" in html
    assert 'aria-current="page">Communities' in html


def test_members_pages_give_htmx_the_csrf_token(member_client):
    html = member_client.get(reverse("web:home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert f'action="{reverse("set_language")}" method="post"' in html


def test_signed_in_people_sign_out_with_a_post_form(member_client):
    html = member_client.get(reverse("web:home")).content.decode()
    assert f'method="post" action="{reverse("account_logout")}"' in html


def test_switching_language_changes_the_page_language(client, member_client):
    response = client.get(reverse("web:language"), {"language": "bg", "next": "/"}, follow=True)
    assert '<html lang="bg">' in response.content.decode()
    response = member_client.post(reverse("set_language"), {"language": "af", "next": "/"}, follow=True)
    assert '<html lang="af">' in response.content.decode()


def test_unknown_addresses_get_the_friendly_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_the_sign_in_pages_use_the_site_layout(client, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a class="skip-link"' in html
    assert "auth-entrance" in html


def test_sign_up_asks_for_display_name_and_language(client):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="display_name"' in html
    assert 'name="locale"' in html


def test_signing_up_stores_the_extra_fields(client):
    from belong.accounts.models import User

    data = {
        "email": "ana@example.com",
        "username": "ana",
        "password1": "a very long passphrase 42",
        "password2": "a very long passphrase 42",
        "display_name": "Ana",
        "locale": "pt",
    }
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 302
    user = User.objects.get(email="ana@example.com")
    assert (user.handle, user.display_name, user.locale) == ("ana", "Ana", "pt")


def test_the_e_mail_settings_page_uses_the_settings_layout(member_client):
    html = member_client.get(reverse("account_email")).content.decode()
    assert "auth-manage" in html
    assert reverse("accounts:tokens") in html


# Mapping errors


class NameForm(forms.Form):
    name = forms.CharField()


def test_field_errors_of_an_action_land_on_the_form_and_others_are_non_field():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_form_errors(form, Invalid("bad", errors={"name": ["Too short."], "other": ["Nope."]}))
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Nope."]


def test_an_error_without_fields_becomes_a_non_field_error():
    form = NameForm({"name": "x"})
    form.is_valid()
    add_form_errors(form, Invalid("This invitation has expired."))
    assert form.non_field_errors() == ["This invitation has expired."]


def test_attempt_lets_refusals_that_are_not_about_input_through():
    form = NameForm({"name": "x"})
    form.is_valid()

    def refuse() -> None:
        raise NotAllowed("No.")

    with pytest.raises(NotAllowed):
        attempt(form, refuse)


@pytest.mark.parametrize(
    ("error", "status"),
    [(NotAllowed("No."), 403), (NotFound("Gone."), 404), (Conflict("Twice."), 409), (RateLimited("Slow."), 429)],
)
def test_refusals_render_the_error_page_with_their_status(error, status, rf: RequestFactory, user):
    @web_view
    def view(request):
        raise error

    request = rf.get("/somewhere/")
    request.user = user
    response: Any = view(request)
    response.render()
    assert response.status_code == status
    assert error.detail in response.content.decode()


def test_too_many_writes_are_refused_with_429(member_client, community, settings):
    settings.BELONG_WRITE_RATE = "2/m"
    url = reverse("communities:join", args=[community.slug])
    statuses = [member_client.post(url).status_code for _ in range(3)]
    assert statuses[-1] == 429


def test_forms_label_every_input(owner, community):
    client = Client()
    client.force_login(owner.user)
    for url in (
        reverse("communities:new"),
        reverse("communities:settings", args=[community.slug]),
        reverse("communities:invitations", args=[community.slug]),
        reverse("accounts:edit_profile"),
        reverse("accounts:tokens"),
    ):
        response = client.get(url)
        form = response.context["form"]
        html = response.content.decode()
        for field in form.visible_fields():
            if field.widget_type in ("radioselect", "checkboxselectmultiple"):
                assert "<fieldset" in html
            else:
                assert f'for="{field.id_for_label}"' in html, (url, field.name)


@pytest.mark.django_db
def test_the_sign_up_form_asks_for_a_handle_not_a_username():
    html = Client().get("/accounts/signup/").content.decode()
    assert '<label for="id_username">Handle:</label>' in html
    assert "Username" not in html


@pytest.mark.django_db
def test_a_community_cannot_take_an_address_the_site_uses(user):
    from belong.communities import actions

    with pytest.raises(Invalid) as refused:
        actions.create_community(creator=user, name="New", slug="new")
    assert "slug" in refused.value.errors
