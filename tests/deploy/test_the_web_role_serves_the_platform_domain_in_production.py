from tests.helpers.deploy import ADMIN_PASSWORD, ADMIN_USERNAME, admin_sign_in


def test_the_web_role_answers_health_on_the_platform_domain(webs):
    response = webs[0].get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_the_platform_admin_signs_in_on_the_platform_domain(webs):
    web = webs[0]

    signed_in = admin_sign_in(web, username=ADMIN_USERNAME, password=ADMIN_PASSWORD)
    index = web.get("/admin/", headers={"Cookie": f"sessionid={signed_in.cookies['sessionid']}"})

    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/admin/"
    assert index.status_code == 200
    assert ADMIN_USERNAME in index.text


def test_session_and_csrf_cookies_are_secure_only(webs):
    signed_in = admin_sign_in(webs[0], username=ADMIN_USERNAME, password=ADMIN_PASSWORD)

    assert "sessionid" in signed_in.cookies
    assert all(cookie.secure for cookie in signed_in.cookies)
    assert "Secure" in webs[0].get("/admin/login/").headers["Set-Cookie"]


def test_plain_http_is_sent_to_https_and_https_answers_with_hsts(webs):
    plain = webs[0].get("/admin/login/", https=False)
    secure = webs[0].get("/admin/login/")

    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://energia.example.test/admin/login/")
    assert "max-age=31536000; includeSubDomains; preload" in secure.headers["Strict-Transport-Security"]
