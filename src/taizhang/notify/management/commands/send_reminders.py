"""``taizhang send_reminders [--dry-run] [--today YYYY-MM-DD] [--kind K ...]``

Computes today's reminders and sends those not sent before (each reminder goes out once;
running it again sends nothing new). For cron instead of, or beside, ``taizhang worker``;
e-mail and webhook deliveries are enqueued for the worker (or run inline when
``HUEY_IMMEDIATE=1``). ``--dry-run`` lists what would be sent and writes nothing.
Unlike the worker's daily run it also runs on a non-working day when asked to.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from huey.exceptions import TaskLockedException

from taizhang.notify import services
from taizhang.notify.registry import REGISTRY


class Command(BaseCommand):
    help = "Compute and send due/overdue/returned/review-waiting reminders (each once)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list, write nothing")
        parser.add_argument("--today", help="the date to run as, YYYY-MM-DD (Asia/Shanghai)")
        parser.add_argument("--kind", action="append", dest="kinds",
                            help=f"only this kind (repeatable): {', '.join(sorted(REGISTRY))}")

    def handle(self, *args, dry_run=False, today=None, kinds=None, **options):
        unknown = [k for k in kinds or () if k not in REGISTRY]
        if unknown:
            raise CommandError(f"--kind：没有这种提醒：{'、'.join(unknown)}（可选：{'、'.join(sorted(REGISTRY))}）")
        if today:
            try:
                today = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today：“{today}”不是有效的日期（应为 YYYY-MM-DD，如 2023-02-28）") from exc
        try:
            if dry_run:
                result = services.send_reminders(today, kinds=kinds, dry_run=True)
            else:
                from huey.contrib.djhuey import HUEY

                with HUEY.lock_task("notify-send-reminders"):
                    result = services.send_reminders(today, kinds=kinds)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from exc
        except TaskLockedException as exc:
            raise CommandError("另一次提醒发送正在进行，请稍后再试") from exc
        if dry_run or options["verbosity"] > 1:
            for p in result.planned:
                target = p.webhook if p.webhook else p.user
                self.stdout.write(f"{p.kind}\t{p.channel}\t{target}\t{p.subject}")
        self.stdout.write(result.summary())
