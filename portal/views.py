from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django_tenants.utils import tenant_context
from rest_framework.exceptions import NotFound, ValidationError

from meters.catalog import CATALOG
from meters.models import Device
from meters.selectors import device_list_with_latest
from pieng.api.pages import page_login_required
from pieng.api.tenancy import client_resolve
from tenants.current import request_client
from tenants.models import Client


@login_required
def home(request):
    devices = device_list_with_latest()
    return render(request, "portal/home.html", {"devices": devices})


@page_login_required
def dashboard(request):
    """The original's dashboard: pick a device, see its live values and charts (plotly.js, served locally).

    Signed-in users of the domain; on the platform domain staff pick the client first (`?client_id=`).
    """
    client_id = request.GET.get("client_id")
    if request_client(request) is None and client_id is None:
        clients = Client.objects.clients()
        return render(request, "portal/dashboard_clients.html", {"clients": clients})
    try:
        client = client_resolve(request_client=request_client(request), client_id=client_id)
    except NotFound as error:
        raise Http404 from error
    except ValidationError:
        return HttpResponseBadRequest("client_id must be a client's id")
    with tenant_context(client):
        devices = list(Device.objects.order_by("name", "id"))
    units = {name: metric.unit for name, metric in CATALOG.items()}
    return render(
        request,
        "portal/dashboard.html",
        {
            "dashboard_client": client,
            "devices": devices,
            "units": units,
            "api_prefix": f"/{settings.API_PREFIX}",
            "client_query": "" if request_client(request) else f"client_id={client.pk}",
            "selected_device": request.GET.get("device", ""),
        },
    )
