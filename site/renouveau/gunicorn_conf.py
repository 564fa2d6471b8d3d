"""gunicorn settings of the Procfile's web process (`-c site/renouveau/gunicorn_conf.py`).

The application is loaded once in the master (`preload_app`) and warmed up there before the
workers are forked (renouveau/warmup.py): a fresh worker's first request costs no imports,
template compilation or cold in-process caches, and its database connection is already open.
"""

preload_app = True


def when_ready(server) -> None:
    if not server.cfg.preload_app:  # `--no-preload`: nothing loaded here to warm up
        return
    # Imported here: gunicorn reads this file before it loads Django (the app, preloaded now).
    from renouveau.warmup import warm_up
    from renouveau.wsgi import application

    warm_up(application)


def post_fork(server, worker) -> None:
    if not server.cfg.preload_app:
        return
    # Imported here: see when_ready.
    from renouveau.warmup import connect

    connect()
