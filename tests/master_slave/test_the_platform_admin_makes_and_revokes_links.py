from forwarding.models import Link
from forwarding.services import link_create, link_for_token
from tenants.models import User


def test_staff_make_a_link_in_the_admin_and_see_its_token_once(client, db):
    client.force_login(User.objects.get(username="staff"))

    response = client.post(
        "/admin/forwarding/link/add/", {"name": "Usina Norte"}, HTTP_HOST="localhost", follow=True
    )

    page = response.content.decode()
    token = page.split("pml_", 1)[1].split("<", 1)[0].split()[0]
    assert link_for_token(token=f"pml_{token}") == Link.objects.get(name="Usina Norte")


def test_staff_revoke_a_link_in_the_admin(client, db):
    link, token = link_create(name="Usina Norte")
    client.force_login(User.objects.get(username="staff"))

    client.post(
        "/admin/forwarding/link/",
        {"action": "revoke", "_selected_action": [link.pk]},
        HTTP_HOST="localhost",
    )

    assert link_for_token(token=token) is None
