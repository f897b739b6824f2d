from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from meters.selectors import device_list_with_latest


@login_required
def home(request):
    devices = device_list_with_latest()
    return render(request, "portal/home.html", {"devices": devices})
