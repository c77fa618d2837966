"""Store each problem's 序号 on its organization's list (was ranked on every request)."""

from django.db import migrations, models


def number_existing(apps, schema_editor):
    """Number existing problems 1, 2, … per organization in the order they were created."""
    Problem = apps.get_model("rectification", "Problem")
    counters: dict[int, int] = {}
    batch = []
    for problem in Problem.objects.order_by("org_id", "pk").only("pk", "org_id").iterator(chunk_size=2000):
        counters[problem.org_id] = counters.get(problem.org_id, 0) + 1
        problem.number = counters[problem.org_id]
        batch.append(problem)
        if len(batch) >= 2000:
            Problem.objects.bulk_update(batch, ["number"])
            batch = []
    Problem.objects.bulk_update(batch, ["number"])


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0001_initial"),
        ("rectification", "0002_default_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="problem", name="number",
            field=models.PositiveIntegerField(null=True, editable=False, verbose_name="序号"),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="problem", name="number",
            field=models.PositiveIntegerField(
                editable=False, verbose_name="序号",
                help_text="问题在本组织问题清单中的序号，新增时自动编排，导入台账时沿用表格中的序号"),
        ),
        migrations.AlterModelOptions(
            name="problem",
            options={"ordering": ["org__path", "number"], "verbose_name": "问题", "verbose_name_plural": "问题清单"},
        ),
        migrations.AddConstraint(
            model_name="problem",
            constraint=models.UniqueConstraint(fields=("org", "number"), name="problem_number_unique_in_org"),
        ),
    ]
