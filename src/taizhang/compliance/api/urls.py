"""API routes of the compliance app (registered by ``taizhang/api_urls.py``)."""

from .views import BranchComplianceViewSet

routes = [("compliance/branches", BranchComplianceViewSet)]
