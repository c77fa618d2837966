"""``taizhang restore FILE [--force]``: restore a ``taizhang backup`` archive into an empty
installation (a non-empty one only with ``--force``); checks every table's row count against
the archive's manifest afterwards (see :mod:`taizhang.core.backup`). Exit code 1 on failure."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taizhang.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 taizhang backup 生成的备份文件恢复（目标须为空系统，否则需 --force）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（.tar.gz）")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据（先清空数据库和上传文件）")

    def handle(self, *args, file, force=False, **options):
        try:
            result = restore_backup(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(_("已从 %(file)s 恢复 %(created)s 的备份：%(tables)d 张表 %(rows)d 行、"
                            "上传文件 %(files)d 个，行数与备份清单一致。")
                          % {"file": file, "created": manifest["created_at"], "tables": len(result.counts),
                             "rows": sum(manifest["tables"].values()), "files": result.media_files})
