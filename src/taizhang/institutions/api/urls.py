"""Endpoints of the institutions app: one per registered kind (``institutions.sources``)."""

from taizhang.core.sources import sources

routes = [(source.api_prefix, source.part("viewset")) for source in sources("institutions")]
