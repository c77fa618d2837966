"""Endpoints of the volunteering app, registered on the project's API router: one per
registered kind (``volunteering.sources``)."""

from taizhang.core.sources import sources

routes = [(source.api_prefix, source.part("viewset")) for source in sources("volunteering")]
