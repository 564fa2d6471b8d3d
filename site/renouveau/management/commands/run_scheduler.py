import contextlib

from django.core.management.base import BaseCommand

from renouveau.scheduler import build_scheduler, discover_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (scheduled publishing, purges, campaign watchdog…): one process "
        "per deployment. --list prints them, --once runs each once and exits."
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
        scheduler = build_scheduler(jobs)
        self.stdout.write(f"Scheduler started with {len(jobs)} job(s).")
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt, SystemExit):  # Ctrl-C, SIGTERM
            scheduler.start()
