"""``taizhang backup [-o FILE]``: one archive with a consistent copy of the live database,
the uploads and the secret key (see :mod:`taizhang.core.backup`). Exit code 1 on failure."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taizhang.core.backup import BackupError, check_archive_name, create_backup


class Command(BaseCommand):
    help = "备份数据库、上传文件和密钥到一个 .tar.gz 文件（默认 var/backups/）。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="备份文件路径（.tar.gz）")

    def handle(self, *args, output=None, **options):
        if output is not None:
            try:
                check_archive_name(output)
            except BackupError as exc:
                raise CommandError(f"-o {exc}") from None
        try:
            path, manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(_("已备份到 %(path)s：%(tables)d 张表 %(rows)d 行，上传文件 %(files)d 个（%(engine)s）")
                          % {"path": path, "tables": len(manifest["tables"]), "rows": rows,
                             "files": manifest["media_files"], "engine": manifest["engine"]})
