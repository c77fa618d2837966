"""Organizations (a materialized-path tree), members, positions, leadership team and roles.

Names follow DESIGN.md's glossary. Personal data is minimal: no ID-card numbers, phone numbers
shown masked.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from taizhang.core.models import TimeStampedModel
from taizhang.core.scoping import ScopedQuerySet


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


class OrganizationQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    """Tree queryset that also scopes (``visible_to``/``restrict``) by subtree."""


class OrganizationManager(MP_NodeManager):
    """treebeard's manager (tree order by path) returning the scoping queryset."""

    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)

    def restrict(self, user, action="view"):
        return self.get_queryset().restrict(user, action)


class Organization(MP_Node, TimeStampedModel):
    """A Party organization: committee → general branch → branch → group.

    ``path`` (from django-treebeard's MP_Node) is the materialized path that scoping filters
    on; ``code`` is the short stable identifier used by imports and the CLI (``--org CODE``).
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("编码"), max_length=32, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    committee_elected_on = models.DateField(_("本届委员会选举日期"), null=True, blank=True)

    node_order_by = ["code"]
    objects = OrganizationManager()
    scope_org_field = ""

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        indexes = [models.Index(fields=["updated_at"], name="organization_updated_at")]  # plans.boardcache

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:organization_detail", args=[self.pk])

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    def nearest_committee(self) -> "Organization":
        """This organization when it is a committee, else its nearest committee ancestor
        (else the tree's root, else itself): the committee whose office decides for it — a
        measure's extension, a role model's selection. One query at most."""
        if self.kind == OrgKind.COMMITTEE:
            return self
        step = Organization.steplen
        prefixes = [self.path[:end] for end in range(step, len(self.path), step)]
        found = Organization.objects.filter(path__in=prefixes, kind=OrgKind.COMMITTEE).order_by("-depth").first()
        return found or Organization.objects.filter(path=self.path[:step]).first() or self


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Member(TimeStampedModel):
    """A Party member, belonging to one branch and optionally one Party group of it."""

    org = models.ForeignKey(
        Organization, verbose_name=_("所在支部"), on_delete=models.PROTECT, related_name="members"
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("党小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生年月"), null=True, blank=True)
    joined_on = models.DateField(_("入党时间"), null=True, blank=True)
    status = models.CharField(
        _("党员类型"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    is_active = models.BooleanField(_("在册"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "org"

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["org__path", "name"]
        indexes = [models.Index(fields=["org", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:member_detail", args=[self.pk])

    @property
    def masked_phone(self) -> str:
        """The phone number with its middle digits hidden (138****5678), for lists and exports."""
        return mask_phone(self.phone)


def mask_phone(phone: str) -> str:
    """Mask all but the first 3 and last 4 digits of ``phone``; short numbers keep 1 + 1."""
    phone = (phone or "").strip()
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 2:
        return phone[0] + "*" * (len(phone) - 2) + phone[-1]
    return phone


class PositionRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION_MEMBER = "organization_member", _("组织委员")
    PROPAGANDA_MEMBER = "propaganda_member", _("宣传委员")
    DISCIPLINE_MEMBER = "discipline_member", _("纪检委员")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    GROUP_LEADER = "group_leader", _("党小组长")


def current_posts_q(on: dt.date | None = None, prefix: str = "") -> models.Q:
    """The one definition of a current post (new-user pass, issue 12): started on or before
    ``on`` (today when None; an unknown start counts as started) and not ended by then
    (``ended_on`` empty or after ``on``: a tenure ended today is history). ``prefix`` is the
    lookup path to the position, e.g. ``"positions__"`` from a member."""
    on = on or dt.date.today()
    return (models.Q(**{f"{prefix}started_on__isnull": True}) | models.Q(**{f"{prefix}started_on__lte": on})) & (
        models.Q(**{f"{prefix}ended_on__isnull": True}) | models.Q(**{f"{prefix}ended_on__gt": on}))


class PositionQuerySet(ScopedQuerySet):
    """Positions with :meth:`current` (who holds a post on a day) and :meth:`open` (tenures not
    yet ended, including those starting later: what a new appointment conflicts with)."""

    def current(self, on: dt.date | None = None):
        """Posts held on ``on`` (today when None), see :func:`current_posts_q`."""
        return self.filter(current_posts_q(on))

    def open(self):
        """Tenures with no end date (current or starting later)."""
        return self.filter(ended_on__isnull=True)


class Position(TimeStampedModel):
    """A Party post held by a member in an organization (书记 of a branch, 组长 of a group …)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    org = models.ForeignKey(Organization, verbose_name=_("组织"), on_delete=models.CASCADE)
    role = models.CharField(_("职务"), max_length=30, choices=PositionRole.choices)
    started_on = models.DateField(_("任职日期"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)

    objects = PositionQuerySet.as_manager()
    scope_org_field = "org"

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "org", "role"],
                condition=models.Q(ended_on__isnull=True),
                name="position_unique_current",
            )
        ]

    def __str__(self):
        return f"{self.org} {self.get_role_display()} {self.member}"

    def is_current(self, on: dt.date | None = None) -> bool:
        """Whether the post is held on ``on`` (today when None), as :func:`current_posts_q`."""
        on = on or dt.date.today()
        return (self.started_on is None or self.started_on <= on) and (self.ended_on is None or self.ended_on > on)

    @property
    def is_upcoming(self) -> bool:
        """Appointed with a start date after today (and not ended)."""
        return self.ended_on is None and self.started_on is not None and self.started_on > dt.date.today()


class LeadershipTeam(TimeStampedModel):
    """The committee's leadership team (领导班子)."""

    org = models.OneToOneField(
        Organization, verbose_name=_("党委"), on_delete=models.CASCADE, related_name="leadership_team"
    )
    name = models.CharField(_("名称"), max_length=100)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "org"
    scope_visible_below = True  # branches see the committee's leaders (联系支部)

    class Meta:
        verbose_name = _("领导班子")
        verbose_name_plural = _("领导班子")

    def __str__(self):
        return self.name


class LeadershipMember(TimeStampedModel):
    """A member of the leadership team with a title and the branches he or she contacts."""

    team = models.ForeignKey(LeadershipTeam, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT)
    title = models.CharField(_("职务"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    contact_branches = models.ManyToManyField(
        Organization, verbose_name=_("联系支部"), blank=True, related_name="contact_leaders"
    )

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "team__org"
    scope_visible_below = True

    class Meta:
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        ordering = ["team", "order"]
        constraints = [
            models.UniqueConstraint(fields=["team", "member"], name="leadership_member_unique")
        ]

    def __str__(self):
        return f"{self.title} {self.member}"


class Role(models.TextChoices):
    COMMITTEE_ADMIN = "committee_admin", _("党委管理员")
    COMMITTEE_STAFF = "committee_staff", _("党委工作人员")
    LEADER = "leader", _("班子成员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    BRANCH_COMMITTEE = "branch_committee", _("支委")
    MEMBER = "member", _("党员")
    INSPECTOR = "inspector", _("上级督导（只读）")


class RoleAssignment(TimeStampedModel):
    """A user's role on an organization, valid for the organization's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles"
    )
    org = models.ForeignKey(Organization, verbose_name=_("组织"), on_delete=models.CASCADE)
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "org"

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="role_assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} {self.get_role_display()} @ {self.org}"


class AccountState(models.Model):
    """A sign-in account's state kept by the product (issue 12 §2): made in bulk from the
    roster (``from_roster``), and whether its password is still the one-time one handed out
    (``must_change_password``: the user is sent to change it at first sign-in)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="account_state")
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    from_roster = models.BooleanField(_("由党员名册创建"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号状态")
        verbose_name_plural = _("账号状态")

    def __str__(self):
        return str(self.user)
