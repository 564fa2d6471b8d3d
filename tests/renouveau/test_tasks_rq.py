"""The Redis/RQ task backend, selected by settings alone (TASKS_BACKEND=rq), runs our tasks."""

from tests.subprocesses import manage


def test_a_task_enqueued_on_rq_is_run_by_an_rq_worker(ses, redis_server):
    env = {"TASKS_BACKEND": "rq", "REDIS_URL": redis_server.url()}
    enqueue = manage(
        "shell",
        "-c",
        "from renouveau.mail import send_mail_task;"
        "from django.conf import settings;"
        "assert settings.TASKS['default']['BACKEND'] == 'django_tasks_rq.RQBackend';"
        "send_mail_task.enqueue(to=['rq@example.org'], subject='Par RQ', text='Envoyé par RQ.')",
        **env,
    )
    assert enqueue.returncode == 0, enqueue.stderr
    assert ses.messages() == []

    worker = manage(
        "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default", "mail", **env
    )
    assert worker.returncode == 0, worker.stdout + worker.stderr
    [message] = ses.messages()
    assert message["Subject"] == "Par RQ"
    assert message["To"] == "rq@example.org"
