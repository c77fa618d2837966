"""The worker's daily backup keeps the newest TAIZHANG_BACKUP_KEEP archives (in-process,
on the test database)."""

import datetime as dt

import pytest
import time_machine

from taizhang.core import tasks
from taizhang.core.backup import prune_backups


def test_prune_keeps_the_newest(tmp_path):
    for day in range(1, 10):
        (tmp_path / f"taizhang-202403{day:02d}-023000.tar.gz").write_bytes(b"x")
    (tmp_path / "other.tar.gz").write_bytes(b"x")
    removed = prune_backups(tmp_path, 7)
    assert [p.name for p in removed] == ["taizhang-20240301-023000.tar.gz", "taizhang-20240302-023000.tar.gz"]
    assert len(list(tmp_path.glob("taizhang-*.tar.gz"))) == 7 and (tmp_path / "other.tar.gz").exists()


@pytest.mark.django_db(transaction=True)
def test_daily_backup_writes_into_var_backups_and_prunes(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TAIZHANG_BACKUP_KEEP = 2
    start = dt.datetime(2024, 3, 1, 2, 30, tzinfo=dt.timezone.utc)
    for day in range(3):
        with time_machine.travel(start + dt.timedelta(days=day), tick=False):
            path = tasks.run_daily_backup()
        assert path.parent == tmp_path / "backups" and path.stat().st_size > 0
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "taizhang-20240302-103000.tar.gz", "taizhang-20240303-103000.tar.gz"]
    settings.TAIZHANG_BACKUP_KEEP = 0
    assert tasks.run_daily_backup() is None
    assert tasks.daily_backup.name == "core.daily_backup"
