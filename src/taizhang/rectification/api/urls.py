"""Endpoints of the rectification app, registered on the project API router: one per
registered kind (``rectification.sources``)."""

from taizhang.core.sources import sources

routes = [(source.api_prefix, source.part("viewset")) for source in sources("rectification")]
