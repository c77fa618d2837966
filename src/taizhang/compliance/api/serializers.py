"""Serializers of the compliance API (read-only; values computed by the engine)."""

from rest_framework import serializers


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule.id")
    title = serializers.CharField(source="rule.title")
    source = serializers.CharField(source="rule.source")
    severity = serializers.CharField()
    period = serializers.CharField(source="period.key", default="")
    org_id = serializers.IntegerField()
    message = serializers.CharField()
    member_name = serializers.CharField()
    record_url = serializers.CharField()


class BranchComplianceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    period = serializers.CharField()
    health = serializers.ChoiceField(choices=["red", "amber", "green"])
    violations = serializers.IntegerField(help_text="errors and warnings in the period")
    by_rule = serializers.DictField(child=serializers.IntegerField())


class BranchComplianceDetailSerializer(BranchComplianceSerializer):
    findings = ViolationSerializer(many=True)
