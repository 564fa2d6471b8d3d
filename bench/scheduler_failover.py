"""Scheduler leader failover: not a test, it prints figures (issue 27).

    .venv/bin/python bench/scheduler_failover.py           # 3 kills, LEADER_POLL_SECONDS=10

Two `manage.py run_scheduler` processes on a PostgreSQL database of its own (127.0.0.1:5432,
user postgres): one leads (advisory lock), the other stands by. The leader is SIGKILLed (a
node's crash: no clean shutdown) and the time until the standby says it leads is measured; a new
standby is started and the round repeated. Prints each failover time and the worst (target:
under a minute; expected: at most one poll, LEADER_POLL_SECONDS, plus the time to start jobs).
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "renouveau_bench_failover"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
POLL = os.environ.get("LEADER_POLL_SECONDS", "10")
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "renouveau.settings.test",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "LEADER_POLL_SECONDS": POLL,
}


class Scheduler:
    """A run_scheduler process whose output lines are kept with the time they arrived."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_scheduler"],
            env=ENV,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line))

    def said(self, text: str) -> float | None:
        return next((at for at, line in self.lines if text in line), None)

    def wait_for(self, text: str, timeout: float = 180) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (at := self.said(text)) is not None:
                return at
            time.sleep(0.05)
        raise RuntimeError(f"never said {text!r}: {''.join(line for _, line in self.lines)}")

    def kill(self) -> float:
        os.killpg(self.process.pid, signal.SIGKILL)
        return time.monotonic()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def main() -> None:
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DATABASE],
        check=True,
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=ENV, cwd=ROOT, check=True
    )
    print(f"Two schedulers, LEADER_POLL_SECONDS={POLL}, {ROUNDS} kills of the leader")
    leader, standby = Scheduler(), None
    times = []
    try:
        leader.wait_for(" leads: ")
        standby = Scheduler()
        standby.wait_for(" on standby: ")
        for round_number in range(1, ROUNDS + 1):
            killed_at = leader.kill()
            took = standby.wait_for(" leads: ", timeout=120) - killed_at
            times.append(took)
            print(f"  round {round_number}: the standby led {took:.2f} s after the kill")
            leader, standby = standby, Scheduler()
            standby.wait_for(" on standby: ")
    finally:
        for process in (leader, standby):
            if process is not None:
                process.stop()
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DATABASE],
            check=False,
        )
    mean = sum(times) / len(times)
    print(f"Failover: worst {max(times):.2f} s, mean {mean:.2f} s (target < 60 s)")


if __name__ == "__main__":
    main()
