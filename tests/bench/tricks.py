"""`make bench-tricks`: each speed trick of the exam's hot paths measured with it on and
off in one run, interleaved (on, off, on, off, …) so that the noise of a shared machine
falls on both sides; the medians per side, and the gain the trick brings its endpoints.
Prints a table, writes tests/bench/tricks.json.

    python -m tests.bench.tricks [--cadres 300] [--pairs 2] [--saturate 8] [--only splice]

Each side is one cycle on a fresh gunicorn (tests/bench/switches.py switches the trick
off in it) and an empty attempt table: every cadre starts at once (the start storm),
then, as far as the trick's endpoints need, reloads the fresh 50-question page in a
closed loop, saves answers in a closed loop, and submits at once.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
from pathlib import Path

from tests.bench import load, run
from tests.bench.switches import ENVIRONMENT, FOREIGN_KEYS_ADD, FOREIGN_KEYS_DROP
from tests.reliability import servers

RESULTS = Path(__file__).resolve().parent / "tricks.json"
START, PAGE, SAVE, SUBMIT = (
    "start (POST)",
    "attempt page (GET)",
    "answer save, saturated",
    "submit (POST)",
)
# Each trick and the endpoints it is there for.
TRICKS = {
    "draw_cache": (START,),
    "pg_start": (START,),
    "splice": (PAGE, START),
    "no_fk": (START, SAVE, SUBMIT),
}
# Kept if it gains this much throughput or p95 on one of its endpoints (issue 16).
KEEP_GAIN_PERCENT = 10


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cadres", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--saturate", type=float, default=8.0, help="seconds per closed loop")
    parser.add_argument("--only", default=",".join(TRICKS), help="tricks, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    # Not `make bench`'s: both can run on the same machine.
    parser.add_argument("--database", default="bench_tricks")
    parser.add_argument("--redis-db", type=int, default=13)
    return parser.parse_args(argv)


async def _load(base, data, seconds, stats, acknowledged, endpoints):
    async with load.client_session(len(data["cadres"])) as http:
        cadres = [
            load.Cadre(
                http,
                base,
                exam_id=data["exam_id"],
                session=cadre["session"],
                stats=stats,
                acknowledged=acknowledged,
            )
            for cadre in data["cadres"]
        ]
        await asyncio.gather(*(cadre.start() for cadre in cadres))
    ready = [cadre for cadre in cadres if cadre.page]

    async def reload(cadre, _index):
        await cadre.reload()

    if PAGE in endpoints:
        await load.closed_loop(ready, seconds=seconds, step=reload)
    if SAVE in endpoints:
        await load.saturate(ready, seconds=seconds, name=SAVE, floor=False)
    if SUBMIT in endpoints:
        await load.submit_all(ready, double_share=0)
    return ready


def _cycle(args, env, database, data, *, off: str | None, endpoints) -> dict:
    """One side of a pair, through the start and `endpoints`: their rows and the
    database's check."""
    # Every cycle starts anew: no attempt, so that each cadre's start is a first one.
    sql = "TRUNCATE exams_attempt, grading_log CASCADE;" + FOREIGN_KEYS_DROP
    if off == "no_fk":
        sql += ";" + FOREIGN_KEYS_ADD
    servers.admin_sql_in(database, sql)
    if off and off != "no_fk":
        env = {**env, ENVIRONMENT: off}
    server = servers.AppServer(
        env,
        workers=args.workers,
        threads=args.threads,
        log_path=servers.ROOT / "var" / "bench-tricks.log",
    )
    stats, acknowledged = load.Stats(), {}
    with servers.running(server):
        ready = asyncio.run(
            _load(
                f"http://127.0.0.1:{server.port}",
                data,
                args.saturate,
                stats,
                acknowledged,
                endpoints,
            )
        )
    return {
        "endpoints": {name: stats.row(name) for name in stats.latencies},
        "database": run.database_check(database, acknowledged, ready),
        "error_samples": stats.error_samples,
    }


def _median(cycles, endpoint, figure):
    values = [c["endpoints"][endpoint][figure] for c in cycles if endpoint in c["endpoints"]]
    return round(statistics.median(values), 1) if values else None


def _gain(better, worse) -> float | None:
    """How much better, in per cent of the worse figure."""
    if not better or not worse:
        return None
    return round(100 * (better / worse - 1), 1)


def _summary(trick, on, off) -> dict:
    rows = []
    for endpoint in TRICKS[trick]:
        sides = {
            side: {
                figure: _median(cycles, endpoint, figure)
                for figure in ("throughput", "p50_ms", "p95_ms")
            }
            for side, cycles in (("on", on), ("off", off))
        }
        throughput = _gain(sides["on"]["throughput"], sides["off"]["throughput"])
        p95 = _gain(sides["off"]["p95_ms"], sides["on"]["p95_ms"])
        rows.append(
            {"endpoint": endpoint, **sides, "gain_throughput_pct": throughput, "gain_p95_pct": p95}
        )
    gains = [g for r in rows for g in (r["gain_throughput_pct"], r["gain_p95_pct"]) if g]
    return {"trick": trick, "rows": rows, "keep": max(gains, default=0) >= KEEP_GAIN_PERCENT}


def _table(results) -> str:
    lines = [
        f"make bench-tricks: {results['cadres']} cadres, {results['pairs']} pairs on/off "
        f"(medians), nproc={results['nproc']}, gunicorn gthread "
        f"{results['workers']}x{results['threads']}",
        "",
        f"{'trick':<11}{'endpoint':<24}{'on req/s':>9}{'p50/p95 ms':>14}"
        f"{'off req/s':>10}{'p50/p95 ms':>14}{'gain req/s':>11}{'gain p95':>9}  verdict",
    ]
    for summary in results["summary"]:
        for index, row in enumerate(summary["rows"]):
            on, off = row["on"], row["off"]
            on_latency = f"{on['p50_ms']}/{on['p95_ms']}"
            off_latency = f"{off['p50_ms']}/{off['p95_ms']}"
            verdict = ("keep" if summary["keep"] else "remove") if index == 0 else ""
            lines.append(
                f"{summary['trick'] if index == 0 else '':<11}{row['endpoint']:<24}"
                f"{on['throughput']:>9}{on_latency:>14}"
                f"{off['throughput']:>10}{off_latency:>14}"
                f"{row['gain_throughput_pct']:>10}%{row['gain_p95_pct']:>8}%  {verdict}"
            )
    return "\n".join(lines)


def main(argv=None):
    args = _arguments(argv)
    reason = servers.unavailable_reason(require_database_url=False)
    if reason:
        sys.exit(f"make bench-tricks: {reason}")
    tricks = [name for name in args.only.split(",") if name]
    unknown = set(tricks) - set(TRICKS)
    if unknown:
        sys.exit(f"make bench-tricks: no such trick: {', '.join(sorted(unknown))}")
    results = {
        "cadres": args.cadres,
        "pairs": args.pairs,
        "nproc": os.cpu_count(),
        "workers": args.workers,
        "threads": args.threads,
        "cycles": {},
        "summary": [],
    }
    with run.prepared(args.database, args.redis_db) as (env, database):
        data = run.seed_exam(env, args.cadres)
        # Every cycle's cadres start a new attempt.
        servers.admin_sql_in(database, "UPDATE exams_exam SET attempts_allowed = 0")
        print("bench-tricks: a warm-up cycle…", flush=True)
        _cycle(args, env, database, data, off=None, endpoints=(PAGE, SAVE, SUBMIT))
        for trick in tricks:
            sides = {"on": [], "off": []}
            for pair in range(args.pairs):
                for side in ("on", "off"):
                    print(f"bench-tricks: {trick} {side} ({pair + 1}/{args.pairs})…", flush=True)
                    off = trick if side == "off" else None
                    cycle = _cycle(args, env, database, data, off=off, endpoints=TRICKS[trick])
                    sides[side].append(cycle)
            results["cycles"][trick] = sides
            results["summary"].append(_summary(trick, sides["on"], sides["off"]))
            # What is measured so far survives a run cut short.
            RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    run.report(RESULTS, results, _table(results))


if __name__ == "__main__":
    main()
