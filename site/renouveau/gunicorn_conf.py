"""gunicorn settings of the Procfile's web process (`-c site/renouveau/gunicorn_conf.py`).

The application is loaded once in the master (`preload_app`), which then loads the code and
compiles the templates (renouveau/warmup.py) before forking the workers: a fresh worker's first
request costs no imports nor template compilation. Nothing is read from the database or the
cache there, so a master started before the content existed serves it like any other.
"""

preload_app = True


def when_ready(server) -> None:
    if not server.cfg.preload_app:  # `--no-preload`: nothing loaded here to warm up
        return
    # Imported here: gunicorn reads this file before it loads Django (preloaded by now).
    from renouveau.warmup import load_code

    load_code()
