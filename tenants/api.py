"""Clients (tenants), for platform staff on the platform domain.

Creating one creates its schema and its domain; deleting one drops them.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from pieng.api.params import query_validate
from pieng.api.permissions import IsPlatformStaff, ReachesDomain
from tenants.current import request_client
from tenants.models import Client
from tenants.services import client_create


class ClientSerializer(serializers.ModelSerializer):
    domain = serializers.CharField(
        source="portal_domain", read_only=True, help_text="The client's own domain."
    )

    class Meta:
        model = Client
        fields = ["id", "name", "slug", "time_zone", "active", "created_at", "schema_name", "domain"]
        read_only_fields = ["schema_name"]

    def validate_slug(self, slug: str) -> str:
        if self.instance is not None and slug != self.instance.slug:
            raise serializers.ValidationError(
                "Cannot change: the client's schema and domain are named after it."
            )
        return slug


class ClientFilterQuery(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class PlatformView:
    """Platform staff, on the platform domain only: elsewhere these endpoints do not exist. Creating,
    changing and deleting need the model permissions (tenants.add_client, change_client, delete_client),
    as in the back-office."""

    permission_classes = [ReachesDomain, IsPlatformStaff, DjangoModelPermissions]
    api_refusals = ("404",)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request_client(request) is not None:
            raise NotFound()

    def get_queryset(self):
        return Client.objects.clients()


@extend_schema(tags=["clients"])
class ClientListView(PlatformView, generics.ListCreateAPIView):
    serializer_class = ClientSerializer

    @extend_schema(parameters=[ClientFilterQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        active = query_validate(ClientFilterQuery, self.request)["active"]
        clients = super().get_queryset()
        return clients if active is None else clients.filter(active=active)

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = client_create(**serializer.validated_data)
        return Response(self.get_serializer(client).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["clients"])
class ClientDetailView(PlatformView, generics.RetrieveUpdateDestroyAPIView):
    """DELETE drops the client's schema with all its devices and readings, and its users."""

    serializer_class = ClientSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_destroy(self, client: Client) -> None:
        client.delete(force_drop=True)
