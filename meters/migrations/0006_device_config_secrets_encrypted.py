from django.db import migrations

import meters.fields


def secrets_encrypt(apps, schema_editor):
    """Saving each config through the new field stores its secrets encrypted."""
    Device = apps.get_model("meters", "Device")
    for device in Device.objects.only("config"):
        device.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [
        ("meters", "0005_merge_collector_uuid"),
    ]

    operations = [
        migrations.AlterField(
            model_name="device",
            name="config",
            field=meters.fields.ConfigField(default=dict, verbose_name="configuration"),
        ),
        migrations.RunPython(secrets_encrypt, migrations.RunPython.noop),
    ]
