"""REST API of the compliance checks: each visible branch's health for ``?period=``.

``GET /api/compliance/branches/?period=2023-Q4`` — visible branches (paged) with health
(red/amber/green), number of violations and counts per rule; ``GET …/<id>/?period=`` adds
every finding. One evaluation per page of branches' top-level organizations (constant
queries per page). Period format as on the pages: 2023, 2023-Q4, 2023-11 (default: the
current year, Asia/Shanghai).
"""

from __future__ import annotations

from collections import defaultdict

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from taizhang.core.api import ScopedReadOnlyViewSet
from taizhang.orgs.models import Organization, OrgKind

from .. import periods as P
from ..engine import evaluate
from ..models import BranchCompliance
from .serializers import BranchComplianceDetailSerializer, BranchComplianceSerializer

PERIOD = OpenApiParameter("period", str, description="2023 / 2023-Q4 / 2023-11 (default: this year)")


def _period(request) -> P.Period:
    try:
        return P.parse(request.query_params.get("period"))
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None


def _summary(report, branch, period, with_findings=False) -> dict:
    mine = [v for v in report.violations if v.row_id == branch.pk]
    counted = [v for v in mine if v.severity != "reminder"]
    by_rule = defaultdict(int)
    for v in counted:
        by_rule[v.rule.id] += 1
    data = {"id": branch.pk, "code": branch.code, "name": branch.name, "period": period.key,
            "health": report.health(branch.pk), "violations": len(counted), "by_rule": dict(by_rule)}
    if with_findings:
        data["findings"] = mine
    return data


def _common_root(branches) -> Organization:
    """The deepest organization whose subtree holds every branch of ``branches`` (one
    evaluation covers the page; a single branch is its own root)."""
    step = Organization.steplen
    paths = [b.path for b in branches]
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[:-step]
    return Organization.objects.get(path=prefix)


@extend_schema_view(list=extend_schema(parameters=[PERIOD]), retrieve=extend_schema(parameters=[PERIOD]))
class BranchComplianceViewSet(ScopedReadOnlyViewSet):
    """Compliance health of branches (read-only, scoped)."""

    queryset = BranchCompliance.objects.filter(kind=OrgKind.BRANCH).order_by("path")
    serializer_class = BranchComplianceSerializer
    filterset_fields = ["code"]

    def get_serializer_class(self):
        return BranchComplianceDetailSerializer if self.action == "retrieve" else BranchComplianceSerializer

    def list(self, request, *args, **kwargs):
        period = _period(request)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        step = Organization.steplen
        groups = defaultdict(list)
        for branch in page:  # one evaluation per top-level organization on the page
            groups[branch.path[:step]].append(branch)
        reports = {top: evaluate(_common_root(branches), period) for top, branches in groups.items()}
        data = [_summary(reports[b.path[:step]], b, period) for b in page]
        return self.get_paginated_response(BranchComplianceSerializer(data, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        branch = self.get_object()
        period = _period(request)
        report = evaluate(branch, period)
        return Response(BranchComplianceDetailSerializer(_summary(report, branch, period, True)).data)
