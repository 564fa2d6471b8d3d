"""A long-lived Django shell under the deployment's settings, driven over stdin/stdout.

Starting `manage.py shell` costs seconds (Wagtail and every app import); the tests run many
small snippets (create a subscriber, publish a page, start a campaign), so one process runs
them all. Protocol: one JSON line in, {"code": "..."}; one JSON line out,
{"ok": bool, "stdout": "...", "error": "..."}.
"""

import contextlib
import io
import json
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]


def main() -> None:
    import django

    django.setup()
    from django.db import close_old_connections

    protocol = sys.stdout
    sys.stdout = sys.stderr  # anything printed outside a snippet goes to the log
    protocol.write(json.dumps({"ok": True, "ready": os.getpid()}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        code = json.loads(line)["code"]
        captured = io.StringIO()
        reply = {"ok": True, "stdout": "", "error": ""}
        close_old_connections()
        try:
            with contextlib.redirect_stdout(captured):
                exec(compile(code, "<production test snippet>", "exec"), {"__name__": "snippet"})  # noqa: S102
        except BaseException:  # noqa: BLE001 (reported to the test)
            reply["ok"] = False
            reply["error"] = traceback.format_exc()
        finally:
            close_old_connections()
        reply["stdout"] = captured.getvalue()
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
