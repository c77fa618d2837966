"""Endpoints of the democratic app: one per registered kind (``democratic.sources``)."""

from taizhang.core.sources import sources

routes = [(source.api_prefix, source.part("viewset")) for source in sources("democratic")]
