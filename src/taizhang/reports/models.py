"""Office-uploaded report templates and background report jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import OrgScopedModel


def template_path(instance, filename: str) -> str:
    """Uploaded templates go under ``report-templates/<org id>/<kind>-<name>``."""
    return f"report-templates/{instance.org_id}/{instance.kind}-{filename}"


class ReportTemplate(OrgScopedModel):
    """An organization's own Word template of one report (its red header, its fonts).

    Checked when uploaded (``templating.check_template``): it holds only placeholders the
    report provides, every tag in one run. Reports of the organization and of the
    organizations below it use the nearest one up the tree, else the shipped template."""

    kind = models.CharField(_("报告"), max_length=30)
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("模板文件"), upload_to=template_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")

    class Meta:
        verbose_name = _("报告模板")
        verbose_name_plural = _("报告模板")
        ordering = ["org__path", "kind"]
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="report_template_one_per_org")]

    def __str__(self):
        return f"{self.org} {self.kind} {self.name}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def job_path(instance, filename: str) -> str:
    return f"report-jobs/{instance.org_id}/{instance.pk or 'new'}-{filename}"


class ReportJob(OrgScopedModel):
    """A report made off the request by the huey worker: its parameters, progress (percent),
    and the file when done. ``org`` is the organization the report covers (scoping)."""

    kind = models.CharField(_("报告"), max_length=30)
    fmt = models.CharField(_("格式"), max_length=10)
    params = models.JSONField(_("参数"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("文件"), upload_to=job_path, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告任务")
        verbose_name_plural = _("报告任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self):
        return reverse("reports:job_detail", args=[self.pk])
