"""Django for the standalone benchmark scripts: the test settings on DATABASE_URL, or on a
throw-away SQLite file when it is unset, migrated before the script fills it."""

import os
import tempfile


def setup_django(name: str) -> None:
    """`name` tells the script's scratch folders apart (bench-<name>-…) in the temp dir."""
    if "DATABASE_URL" not in os.environ:
        directory = tempfile.mkdtemp(prefix=f"bench-{name}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
