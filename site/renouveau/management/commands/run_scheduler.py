import signal
import threading

from django.core.management.base import BaseCommand

from renouveau.scheduler import discover_jobs, run_forever


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (scheduled publishing, purges, campaign watchdog…). Any number "
        "may run: one leads and runs the jobs, the others take over when it stops. --list "
        "prints the jobs, --once runs each once and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, list: bool = False, once: bool = False, **options):
        jobs = discover_jobs()
        if list or once:
            for job in jobs:
                when = f"every {job.every_seconds} s" if job.every_seconds else job.daily_at
                self.stdout.write(f"{job.name}: {when}")
                if once:
                    job.run()
            return
        stopping = threading.Event()
        # SIGTERM (honcho, systemd) and Ctrl-C end the loop between two polls; the lock's
        # session is closed on the way out, so a standby takes over at once.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())

        def log(message: str) -> None:
            self.stdout.write(message)
            self.stdout.flush()

        self.stdout.write(f"Scheduler started with {len(jobs)} job(s).")
        run_forever(jobs, log, stopping)
