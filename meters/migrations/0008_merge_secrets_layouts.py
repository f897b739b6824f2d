from django.db import migrations


class Migration(migrations.Migration):
    """Encrypted secrets and per-device layouts were added side by side; neither depends on the other."""

    dependencies = [("meters", "0006_device_config_secrets_encrypted"), ("meters", "0007_device_layout")]

    operations = []
