"""Endpoints of the role models app: one per registered kind (``rolemodels.sources``)."""

from taizhang.core.sources import sources

routes = [(source.api_prefix, source.part("viewset")) for source in sources("rolemodels")]
