"""Endpoints of the surveys app: one per registered kind (``surveys.sources``)."""

from taizhang.core.sources import sources

routes = [(source.api_prefix, source.part("viewset")) for source in sources("surveys")]
