"""The HTTP API's shared machinery: authentication, the domain rule, the client a request acts on,
parsing, errors, pagination, throttles and the OpenAPI schema.

The endpoints themselves live with their apps (tenants/api.py, meters/api/, analytics/api.py,
alarms/api.py); pieng/urls_api.py routes them.
"""
