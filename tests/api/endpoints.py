"""Every endpoint of the API but health and the token pair, each with a request its owner may make."""

ENDPOINTS = [
    ("get", "/api/clients"),
    ("post", "/api/clients"),
    ("get", "/api/clients/{client}"),
    ("patch", "/api/clients/{client}"),
    ("delete", "/api/clients/{client}"),
    ("get", "/api/devices"),
    ("post", "/api/devices"),
    ("get", "/api/devices/{device}"),
    ("patch", "/api/devices/{device}"),
    ("delete", "/api/devices/{device}"),
    ("post", "/api/devices/{device}/read"),
    ("get", "/api/devices/{device}/latest"),
    ("post", "/api/devices/{device}/token"),
    ("delete", "/api/devices/{device}/token"),
    ("post", "/api/ingest"),
    ("get", "/api/metrics?device_id={device}&metric=power"),
    ("get", "/api/metrics/summary?device_id={device}&metric=power"),
    ("get", "/api/metrics/linreg?device_id={device}&metric=power"),
    ("get", "/api/energy?device_id={device}"),
    ("get", "/api/export?device_id={device}"),
    ("get", "/api/alarms/rules"),
    ("post", "/api/alarms/rules"),
    ("get", "/api/alarms/rules/{rule}"),
    ("patch", "/api/alarms/rules/{rule}"),
    ("delete", "/api/alarms/rules/{rule}"),
    ("get", "/api/alarms/events"),
    ("get", "/api/links"),
    ("post", "/api/links"),
    ("get", "/api/schema"),
]
# HTML pages for browsers: the signed-out are sent to the domain's sign-in page.
PAGES = ["/api/docs", "/dashboard/"]

# The endpoints that name one of a client's objects in their path or query.
OBJECT_ENDPOINTS = [(method, path) for method, path in ENDPOINTS if "{device}" in path or "{rule}" in path]
