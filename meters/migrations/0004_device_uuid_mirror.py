import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meters", "0003_device_ingest_token_hash")]

    operations = [
        # Nullable first, then one random UUID per existing row (a callable default would give every
        # existing row the same value), then required and unique.
        migrations.AddField(
            model_name="device", name="uuid", field=models.UUIDField(null=True, editable=False, verbose_name="UUID")
        ),
        migrations.RunSQL("UPDATE meters_device SET uuid = gen_random_uuid()", migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="device",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"),
        ),
        migrations.AddField(
            model_name="device",
            name="mirror",
            field=models.BooleanField(default=False, editable=False, verbose_name="mirror"),
        ),
    ]
