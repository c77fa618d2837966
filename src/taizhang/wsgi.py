"""WSGI entry point (gunicorn serves it through ``taizhang serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
application = get_wsgi_application()
