"""Clients (tenants), for platform staff on the platform domain.

Creating one creates its schema and its domain; deleting one drops them.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from pieng.api.params import query_validate
from pieng.api.permissions import IsPlatformStaff, IsStaff, ReachesDomain
from pieng.api.tenancy import client_resolve, request_client_id
from tenants.current import request_client
from tenants.models import Client, PublicLink
from tenants.services import client_create, public_link_create, public_link_revoke


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


def public_link_url(*, request, client: Client, token: str) -> str:
    """`http://<slug>.<platform domain>[:port]/p/<token>/`, on the port the request came to."""
    port = request.get_port()
    default = {"http": "80", "https": "443"}[request.scheme]
    host = client.portal_domain if port == default else f"{client.portal_domain}:{port}"
    return f"{request.scheme}://{host}/p/{token}/"


class TextField(serializers.CharField):
    """A JSON string, not a number turned into one."""

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class PublicLinkSerializer(serializers.ModelSerializer):
    name = TextField(max_length=120, help_text="What the link is for, e.g. who it was sent to.")

    class Meta:
        model = PublicLink
        fields = ["id", "name", "created_at"]


class PublicLinkCreatedSerializer(PublicLinkSerializer):
    url = serializers.CharField(read_only=True, help_text="The public page; shown once, only here.")

    class Meta(PublicLinkSerializer.Meta):
        fields = ["id", "name", "url", "created_at"]


class PublicLinkView:
    """A client's staff on its domain; platform staff name the client with `client_id`."""

    permission_classes = [ReachesDomain, IsStaff]
    serializer_class = PublicLinkSerializer
    # A client_id naming no client, and a page past the last, are 404s.
    api_refusals = ("404",)

    def request_client(self) -> Client:
        return client_resolve(
            request_client=request_client(self.request), client_id=request_client_id(self.request)
        )

    def get_queryset(self):
        return PublicLink.objects.filter(client=self.request_client())


@extend_schema(tags=["public links"])
class PublicLinkListView(PublicLinkView, generics.ListCreateAPIView):
    """Read-only public dashboards of the client: anyone with the URL sees its devices' latest values and
    its consumption and injection, without signing in."""

    @extend_schema(request=PublicLinkSerializer, responses={201: PublicLinkCreatedSerializer})
    def post(self, request, *args, **kwargs):
        client = self.request_client()
        serializer = PublicLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link, token = public_link_create(
            client=client, name=serializer.validated_data["name"], created_by=request.user
        )
        link.url = public_link_url(request=request, client=client, token=token)
        return Response(PublicLinkCreatedSerializer(link).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["public links"])
class PublicLinkDetailView(PublicLinkView, generics.RetrieveDestroyAPIView):
    """DELETE revokes the link: its URL answers 404 from then on."""

    def perform_destroy(self, instance) -> None:
        public_link_revoke(link=instance)
