"""WSGI entry point (gunicorn serves it through ``taizhang serve``).

The Django application is wrapped in :class:`taizhang.core.bodylimit.BodyLimit`: a request
body over ``TAIZHANG_MAX_REQUEST_BYTES`` is refused with 413 before it is read.
"""

import os

from django.core.wsgi import get_wsgi_application

from taizhang.core.bodylimit import BodyLimit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
application = BodyLimit(get_wsgi_application())
