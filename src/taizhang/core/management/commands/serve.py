"""``taizhang serve``: collect static files and serve the site with gunicorn (production WSGI)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Taizhang with gunicorn and WhiteNoise static files (not runserver)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host, port, workers, **options):
        from gunicorn.app.base import BaseApplication

        # Collect before the WSGI app is built: WhiteNoise indexes STATIC_ROOT when its
        # middleware starts, so files collected afterwards would not be served.
        call_command("collectstatic", interactive=False, verbosity=0)
        from taizhang.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)

            def load(self):
                return application

        self.stdout.write(f"Taizhang serving on http://{host}:{port}/ (Ctrl+C to stop)")
        Server().run()
