"""`make bench`: the year-end exam under load against gunicorn and PostgreSQL on this
machine, then page costs and the HR export. Prints a table, writes tests/bench/results.json.

    python -m tests.bench.run [--cadres 500] [--think 1.0] [--saturate 15]
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from tests.reliability import servers

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DATABASE = "bench"
REDIS_DB = 14
QUESTIONS = 50
# The floor view's table (tests/bench/urls.py): one row per attempt and question.
FLOOR_TABLE = """
CREATE TABLE IF NOT EXISTS bench_floor (
    attempt_id bigint NOT NULL, position int NOT NULL, answer jsonb, answer_seq int,
    answered_at timestamptz, PRIMARY KEY (attempt_id, position))
"""


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cadres", type=int, default=int(os.environ.get("BENCH_CADRES", 500)))
    parser.add_argument("--ramp", type=float, default=3.0, help="seconds over which all start")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds per answer")
    parser.add_argument("--saturate", type=float, default=15.0, help="seconds per floor phase")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    # Another name and Redis database than a `make bench` running beside it.
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--redis-db", type=int, default=REDIS_DB)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-hr", action="store_true")
    return parser.parse_args(argv)


def database_check(database, acknowledged, cadres):
    """Every acknowledged answer is stored (same or newer sequence number, same answer when
    the same), every attempt is graded, and graded once (the grading log's triggers)."""
    rows = servers.query(
        database,
        "SELECT attempt_id, position, answer_seq, answer FROM exams_attemptitem"
        " WHERE attempt_id = ANY(%s)",
        ([c.attempt_id for c in cadres],),
    )
    stored = {(a, p): (seq, answer) for a, p, seq, answer in rows}
    lost = 0
    for key, (seq, answer) in acknowledged.items():
        got = stored.get(key)
        value = answer.get("blanks")
        if "choices" in answer:
            # The page sends opaque values; the database holds the bank's keys.
            keys = servers.option_keys_of(attempt_id=key[0], position=key[1])
            value = sorted(keys.get(choice, choice) for choice in answer["choices"])
        if got is None or got[0] < seq or (got[0] == seq and got[1] != value):
            lost += 1
    attempts = servers.query(
        database,
        "SELECT count(*), count(*) FILTER (WHERE status = 'graded' AND score IS NOT NULL)"
        " FROM exams_attempt WHERE id = ANY(%s)",
        ([c.attempt_id for c in cadres],),
    )[0]
    gradings = dict(
        servers.query(
            database,
            "SELECT n, count(*) FROM (SELECT attempt_id, count(*) AS n FROM grading_log"
            " WHERE what = 'attempt' GROUP BY attempt_id) AS g GROUP BY n",
        )
    )
    return {
        "acknowledged_answers": len(acknowledged),
        "acknowledged_answers_missing": lost,
        "attempts": attempts[0],
        "attempts_graded": attempts[1],
        "attempts_graded_once": gradings.get(1, 0),
        "attempts_graded_more_than_once": sum(v for k, v in gradings.items() if k > 1),
    }


async def _exam(base, args, data, stats):
    from tests.bench import load

    acknowledged = {}
    sessions = [c["session"] for c in data["cadres"]]
    started = time.perf_counter()
    ready = await load.storm(
        base,
        exam_id=data["exam_id"],
        sessions=sessions,
        ramp=args.ramp,
        think=args.think,
        stats=stats,
        acknowledged=acknowledged,
    )
    storm_seconds = time.perf_counter() - started
    for name, floor in (("answer save, saturated", False), ("floor upsert, saturated", True)):
        await load.saturate(ready, seconds=args.saturate, name=name, floor=floor)
    await load.submit_all(ready, double_share=0.2)
    return acknowledged, ready, storm_seconds


def seed_exam(env, cadres: int) -> dict:
    """The annual exam of QUESTIONS questions and `cadres` signed-in cadres
    (tests/reliability/seed.py)."""
    return servers.seed(
        env,
        "exam",
        "--prefix",
        "bench",
        "--cadres",
        str(cadres),
        "--questions",
        str(QUESTIONS),
        "--minutes",
        "120",
        timeout=900,
    )


def _run_exam(args, env, database):
    from tests.bench import load

    data = seed_exam(env, args.cadres)
    server = servers.AppServer(
        env, workers=args.workers, threads=args.threads, log_path=servers.ROOT / "var" / "bench.log"
    )
    stats = load.Stats()
    with servers.running(server):
        acknowledged, ready, storm_seconds = asyncio.run(
            _exam(f"http://127.0.0.1:{server.port}", args, data, stats)
        )
    rows = [stats.row(name) for name in stats.latencies]
    by_name = {row["endpoint"]: row for row in rows}
    saves = by_name.get("answer save, saturated", {}).get("throughput") or 0
    floor = by_name.get("floor upsert, saturated", {}).get("throughput") or 0
    return {
        "endpoints": rows,
        "storm_seconds": round(storm_seconds, 1),
        "answer_save_to_floor_ratio": round(saves / floor, 2) if floor else None,
        "database": database_check(database, acknowledged, ready),
        "error_samples": stats.error_samples,
    }


def _run_pages(env):
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.pages"],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode:
        return {"error": (result.stdout + result.stderr)[-3000:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def _run_hr(env):
    """The evaluation engineer's own 10k benchmark, on an empty database of its own."""
    script = HERE / "bench_evaluation.py"
    with servers.scratch_database("bench_evaluation") as database:
        result = subprocess.run(
            [sys.executable, str(script), "--cadres", "10000"],
            cwd=servers.ROOT,
            env={**env, "DATABASE_URL": database},
            capture_output=True,
            text=True,
            timeout=3600,
        )
    output = (result.stdout + result.stderr).strip()
    return {"returncode": result.returncode, "output": output[-4000:]}


def _table(results) -> str:
    exam = results["exam"]
    lines = [
        f"make bench: {results['cadres']} cadres, {QUESTIONS} questions, "
        f"nproc={results['nproc']}, gunicorn gthread {results['workers']}x{results['threads']}",
        "",
        f"{'endpoint':<26}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}",
    ]
    for row in exam["endpoints"]:
        lines.append(
            f"{row['endpoint']:<26}{row['requests']:>9}{row['throughput']:>9}"
            f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{row['errors']:>8}"
        )
    ratio = exam["answer_save_to_floor_ratio"]
    lines += [
        "",
        f"answer save / floor throughput: {ratio} (aim: > 0.5)",
        f"storm (start + 50 answers each at the given pace): {exam['storm_seconds']} s",
        "database: " + ", ".join(f"{k}={v}" for k, v in exam["database"].items()),
    ]
    pages = results.get("pages", {})
    if "error" in pages:
        lines += ["", "pages: failed: " + pages["error"][-500:]]
    elif pages:
        lines += [
            "",
            f"{'page':<14}{'queries':>9}{'x10 queries':>13}{'gzip B':>9}{'x10 gzip B':>12}",
        ]
        for name, row in pages["pages"].items():
            lines.append(
                f"{name:<14}{row['queries']:>9}{row['queries_x10']:>13}"
                f"{row['gzip_bytes']:>9}{row['gzip_bytes_x10']:>12}"
                + ("" if row["queries"] == row["queries_x10"] else "   <- grows with data")
            )
    hr = results.get("hr", {"skipped": "--skip-hr"})
    lines += [""]
    if "skipped" in hr:
        lines.append(f"HR export: skipped: {hr['skipped']}")
    else:
        lines += ["HR export (tests/bench/bench_evaluation.py):", hr.get("output", "")]
    return "\n".join(lines)


def report(path: Path, results: dict, table: str) -> None:
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print()
    print(table)
    print(f"\nwritten: {path.relative_to(servers.ROOT)}")


@contextlib.contextmanager
def prepared(name: str, redis_db: int):
    """A migrated scratch database `name` with the floor's table and the grading log, and
    an empty Redis database: yields the servers' environment and the database's URL."""
    redis_url = f"{servers.REDIS_BASE}/{redis_db}"
    with servers.scratch_database(name) as database:
        env = servers.server_env(
            database=database, redis_url=redis_url, settings="tests.bench.settings"
        )
        print("bench: migrating a scratch database…", flush=True)
        servers.manage(env, "migrate", "--noinput", timeout=900)
        servers.manage(env, "collectstatic", "--noinput", "--verbosity", "0", timeout=300)
        servers.admin_sql_in(database, FLOOR_TABLE + ";" + servers.GRADING_LOG)
        servers.flush_redis(redis_url)
        try:
            yield env, database
        finally:
            servers.flush_redis(redis_url)


def main(argv=None):
    args = _arguments(argv)
    reason = servers.unavailable_reason(require_database_url=False)
    if reason:
        sys.exit(f"make bench: {reason}")
    with prepared(args.database, args.redis_db) as (env, database):
        results = {
            "cadres": args.cadres,
            "nproc": os.cpu_count(),
            "workers": args.workers,
            "threads": args.threads,
            "machine": platform.platform(),
        }
        print(f"bench: exam storm with {args.cadres} cadres…", flush=True)
        results["exam"] = _run_exam(args, env, database)
        if not args.skip_pages:
            print("bench: page costs (demo data, then ten times more)…", flush=True)
            results["pages"] = _run_pages(env)
        if not args.skip_hr:
            print("bench: HR export…", flush=True)
            results["hr"] = _run_hr(env)
    report(RESULTS, results, _table(results))


if __name__ == "__main__":
    main()
