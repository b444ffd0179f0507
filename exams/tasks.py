"""Background tasks of the exams app (django-tasks); cron can run the commands instead."""

from django_tasks import task

from exams.services.attempts import attempts_close_overdue


@task()
def close_overdue_attempts_task() -> int:
    return attempts_close_overdue()
