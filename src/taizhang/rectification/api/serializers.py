"""Serializers of the rectification API. Related-object choices are limited to what the
caller may see (a problem of another branch is "does not exist", never a leak)."""

from rest_framework import serializers

from taizhang.orgs.models import LeadershipMember, Organization

from ..models import Problem, ProblemSource, ProgressUpdate, Rectification


class _Scoped:
    def scoped(self, name, queryset):
        request = self.context.get("request")
        field = self.fields[name]
        field.queryset = queryset.visible_to(request.user) if request else queryset.none()


class ProblemSerializer(_Scoped, serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="name", queryset=ProblemSource.objects.all())

    class Meta:
        model = Problem
        fields = ["id", "org", "number", "source", "category", "description", "found_on", "found_by", "level",
                  "remarks", "source_content_type", "source_object_id", "created_at", "updated_at"]
        read_only_fields = ["number", "source_content_type", "source_object_id", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoped("org", Organization.objects)


class RectificationSerializer(_Scoped, serializers.ModelSerializer):
    """A measure. ``status`` moves only through ``POST …/{id}/move/``; ``deadline`` is set on
    creation (then by extension requests); an update must send the ``version`` it read."""

    class Meta:
        model = Rectification
        fields = ["id", "problem", "org", "position", "measure", "target", "kind", "leader",
                  "leader_name", "department_org", "department", "person", "deadline",
                  "due_workday", "effective_due", "milestone", "status", "progress", "progress_on",
                  "completion_note", "evidence", "closed_on", "extension_count", "version",
                  "created_at", "updated_at"]
        read_only_fields = ["org", "position", "due_workday", "effective_due", "status", "progress",
                            "progress_on", "completion_note", "evidence", "closed_on",
                            "extension_count", "created_at", "updated_at"]
        extra_kwargs = {"version": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoped("problem", Problem.objects)
        self.scoped("leader", LeadershipMember.objects)
        self.scoped("department_org", Organization.objects)


class ProgressUpdateSerializer(_Scoped, serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "rectification", "reported_on", "done", "difficulties", "next_step",
                  "help_needed", "author", "created_at"]
        read_only_fields = ["author", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scoped("rectification", Rectification.objects)


class MoveSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["start", "complete", "verify", "close",
                                            "return_for_revision", "reopen"])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)
    completion_note = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
