from django.db import migrations

# Deleting a device deletes its readings in the database: Django's collector would load
# every reading into memory first, which for years of readings is not an option.
CASCADE = """
DO $$
DECLARE name text;
BEGIN
    SELECT conname INTO name FROM pg_constraint
    WHERE conrelid = 'meters_reading'::regclass AND confrelid = 'meters_device'::regclass AND contype = 'f';
    EXECUTE format('ALTER TABLE meters_reading DROP CONSTRAINT %I', name);
END $$;
ALTER TABLE meters_reading ADD CONSTRAINT meters_reading_device_cascade
    FOREIGN KEY (device_id) REFERENCES meters_device (id) ON DELETE CASCADE;
"""


class Migration(migrations.Migration):
    dependencies = [("meters", "0001_initial")]

    operations = [migrations.RunSQL(CASCADE, migrations.RunSQL.noop)]
