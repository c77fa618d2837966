"""``taizhang worker``: run the background-job consumer (huey's ``run_huey``).

Runs the tasks of every app's ``tasks.py`` and the periodic ones (the daily reminders at
``NOTIFY_REMINDER_TIME``). Storage: ``var/huey.sqlite3`` by default, Redis when
``HUEY_REDIS_URL`` is set. Options are huey's (``-w`` workers, ``-k`` worker type, …).
"""

from huey.contrib.djhuey.management.commands.run_huey import Command as RunHueyCommand


class Command(RunHueyCommand):
    help = "Run the background-job consumer (huey): reminders, deliveries, large exports."

    def handle(self, *args, **options):
        from huey.contrib.djhuey import HUEY

        if HUEY.immediate:
            self.stderr.write("HUEY_IMMEDIATE is on: tasks run inline, there is nothing to consume.")
            return
        self.stdout.write(f"taizhang worker: {type(HUEY).__name__} '{HUEY.name}'")
        super().handle(*args, **options)
