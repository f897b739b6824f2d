from django.db import migrations


class Migration(migrations.Migration):
    """Collectors and device uuids were added side by side; neither depends on the other."""

    dependencies = [("meters", "0004_device_collector"), ("meters", "0004_device_uuid_mirror")]

    operations = []
