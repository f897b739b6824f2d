from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from pieng.admin_sites import platform_admin
from tenants.models import Client, Domain, User
from tenants.services import client_create


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "slug", "time_zone", "active"]


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["domain", "is_primary"]
        # django-tenants gives these fields no translatable names.
        labels = {"domain": _("domain"), "is_primary": _("primary")}


class DomainInline(admin.TabularInline):
    model = Domain
    form = DomainForm
    extra = 0


@admin.register(Client, site=platform_admin)
class ClientAdmin(admin.ModelAdmin):
    form = ClientForm
    list_display = ["name", "slug", "portal_domain", "time_zone", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "slug"]
    inlines = [DomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).clients()

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = client_create(name=obj.name, slug=obj.slug, time_zone=obj.time_zone, active=obj.active)
        obj.pk = created.pk
        obj.schema_name = created.schema_name

    @admin.display(description=_("portal domain"))
    def portal_domain(self, obj):
        return obj.portal_domain


@admin.register(User, site=platform_admin)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "client", "is_staff", "is_active"]
    list_filter = ["client", "is_staff", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Client"), {"fields": ["client"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Client"), {"fields": ["client", "is_staff"]}),)
