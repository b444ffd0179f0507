"""The reliability tests' stack: one scratch PostgreSQL database (migrated once) and one
Redis database for the whole session; each test starts the app servers it needs."""

import os
from dataclasses import dataclass

import pytest

from tests.reliability import servers

REDIS_DB = 13


@dataclass
class Stack:
    env: dict
    database: str
    redis_url: str

    def seed_exam(self, *, prefix, cadres=2, questions=10, minutes=60) -> dict:
        return servers.seed(
            self.env,
            "exam",
            "--prefix",
            prefix,
            "--cadres",
            str(cadres),
            "--questions",
            str(questions),
            "--minutes",
            str(minutes),
        )

    def server(self, **kwargs) -> servers.AppServer:
        return servers.AppServer(self.env, **kwargs)


@pytest.fixture(scope="session")
def stack():
    reason = servers.unavailable_reason()
    if reason:
        pytest.skip(reason)
    redis_url = f"{servers.REDIS_BASE}/{REDIS_DB}"
    with servers.scratch_database(f"reliability_{os.getpid()}") as database:
        env = servers.server_env(database=database, redis_url=redis_url)
        servers.manage(env, "migrate", "--noinput", timeout=600)
        # The production settings serve hashed static names from the collected manifest.
        servers.manage(env, "collectstatic", "--noinput", "--verbosity", "0", timeout=300)
        servers.flush_redis(redis_url)
        try:
            yield Stack(env=env, database=database, redis_url=redis_url)
        finally:
            servers.flush_redis(redis_url)
