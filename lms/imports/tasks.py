"""Background work of the imports app (django-tasks)."""

from django_tasks import task


@task()
def import_job_run_task(job_id: int) -> str:
    from .services import import_job_run

    return import_job_run(job_id)
