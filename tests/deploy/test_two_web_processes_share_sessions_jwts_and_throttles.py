"""Web processes are stateless: behind a load balancer, any of them serves any request."""

from tests.helpers.deploy import ADMIN_PASSWORD, ADMIN_USERNAME, TOKEN_RATE, admin_sign_in


def test_a_session_opened_on_one_process_works_on_the_other(webs):
    first, second = webs

    signed_in = admin_sign_in(first, username=ADMIN_USERNAME, password=ADMIN_PASSWORD)
    index = second.get("/admin/", headers={"Cookie": f"sessionid={signed_in.cookies['sessionid']}"})

    assert index.status_code == 200
    assert ADMIN_USERNAME in index.text


def test_a_jwt_from_one_process_is_accepted_by_the_other(webs):
    first, second = webs

    token = first.post(
        "/api/token", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}, client_ip="203.0.113.20"
    )
    clients = second.get("/api/clients", headers={"Authorization": f"Bearer {token.json()['access']}"})

    assert token.status_code == 200
    assert clients.status_code == 200
    assert clients.json()["results"] == []


def test_the_sign_in_throttle_counts_requests_to_both_processes(webs):
    statuses = [
        webs[attempt % 2]
        .post("/api/token", json={"username": ADMIN_USERNAME, "password": "wrong"}, client_ip="198.51.100.7")
        .status_code
        for attempt in range(TOKEN_RATE + 1)
    ]
    other_caller = webs[0].post(
        "/api/token", json={"username": ADMIN_USERNAME, "password": "wrong"}, client_ip="198.51.100.8"
    )

    assert statuses == [401] * TOKEN_RATE + [429]
    assert other_caller.status_code == 401
