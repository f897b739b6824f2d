import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")
application = get_wsgi_application()
# What the application loaded lives as long as the process: kept out of the collector's sight, the many
# objects of a large request (a forwarded batch of 5,000 readings) no longer make each full collection walk
# all of Django again (a quarter of the slave's CPU per batch).
gc.freeze()
