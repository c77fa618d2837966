"""The initial problem-source list (seed 二.7 plus the record kinds that feed problems)."""

from django.db import migrations

SOURCES = [
    "群众信访", "纪检监察监督", "巡视巡察", "政治建设考察", "绩效考核", "审计监督", "统计监督",
    "环保督察", "基层调研", "建言献策", "谈心谈话", "民主生活会", "组织生活会", "其他",
]


def add_sources(apps, schema_editor):
    ProblemSource = apps.get_model("rectification", "ProblemSource")
    for order, name in enumerate(SOURCES, start=1):
        ProblemSource.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):

    dependencies = [
        ("rectification", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_sources, migrations.RunPython.noop),
    ]
