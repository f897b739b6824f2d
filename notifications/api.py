"""Notification channels of a client: where its alarm events are sent. Secrets in `config` are
write-only ("***" in every answer; a PATCH that omits them or sends "***" keeps them)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from alarms.models import Severity
from meters.config import ConfigError
from notifications.channels import channel_config_masked
from notifications.models import NotificationChannel
from notifications.services import channel_create, channel_update
from pieng.api.tenancy import ClientScopedView


class ChannelSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NotificationChannel.Kind.choices)
    min_severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)
    config = serializers.JSONField(
        help_text='email {"to": [addresses]}; webhook {"url", "secret"}; telegram {"bot_token", "chat_id"}; '
        'sms {"account_sid", "auth_token", "from", "to", "base_url"?}. Secrets are shown as "***".'
    )

    class Meta:
        model = NotificationChannel
        fields = ["id", "name", "kind", "min_severity", "send_cleared", "config", "active", "created_at"]

    def to_representation(self, instance: NotificationChannel) -> dict:
        data = super().to_representation(instance)
        data["config"] = channel_config_masked(kind=instance.kind, config=instance.config)
        return data

    def create(self, validated_data: dict) -> NotificationChannel:
        return self._config_errors_named(lambda: channel_create(fields=validated_data))

    def update(self, instance: NotificationChannel, validated_data: dict) -> NotificationChannel:
        return self._config_errors_named(lambda: channel_update(channel=instance, fields=validated_data))

    @staticmethod
    def _config_errors_named(write):
        try:
            return write()
        except ConfigError as error:
            raise serializers.ValidationError(
                {"config": {field: [message] for field, message in error.errors.items()}}
            ) from error


@extend_schema(tags=["notifications"])
class ChannelListView(ClientScopedView, generics.ListCreateAPIView):
    serializer_class = ChannelSerializer
    queryset = NotificationChannel.objects.all()


@extend_schema(tags=["notifications"])
class ChannelDetailView(ClientScopedView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ChannelSerializer
    queryset = NotificationChannel.objects.all()
    http_method_names = ["get", "patch", "delete", "head", "options"]
