"""Benchmark (not a test): a county's law library of 1,000 laws and 50,000 articles imported
with `manage.py import_law FOLDER`, then Chinese search over it.

    .venv/bin/python tests/bench/bench_laws.py [--laws 1000] [--articles 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_laws .venv/bin/python ...

Prints the import's wall time and the process's peak RSS, and the p50/p95 of 200 searches
of one to four words. Uses a throw-away SQLite file unless DATABASE_URL is set (use an
empty database: the script migrates it and fills it).
"""

import argparse
import io
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
LAWS = ROOT / "courses" / "data" / "laws"
QUERIES = [
    "首次违法", "行政处罚", "个人信息", "数据安全", "罚款", "没收违法所得", "民事法律行为",
    "监护人", "乡村振兴", "刑事责任", "诉讼时效", "听证", "个人信息处理者 告知", "重要数据 出境",
    "违法 所得 没收 罚款", "农村 集体 经济 组织", "国家机关 工作人员", "未成年人 保护",
]  # fmt: skip


def library(folder: Path, laws: int, per_law: int) -> int:
    """`laws` texts of `per_law` articles each, drawn from the real articles shipped."""
    from courses.law_markdown import int_to_chinese_numeral, parse_law_markdown

    pool = []
    for path in sorted(LAWS.glob("*.md")):
        if path.name.lower() != "readme.md":
            pool += [a.text for a in parse_law_markdown(path.read_text("utf-8")).articles]
    rng = random.Random(7)
    for number in range(laws):
        chapters = []
        for chapter in range(per_law // 10):
            body = "\n\n".join(
                f"第{int_to_chinese_numeral(chapter * 10 + i + 1)}条 "
                + rng.choice(pool).replace("\n", "\n\n")
                for i in range(10)
            )
            chapters.append(f"## 第{int_to_chinese_numeral(chapter + 1)}章 规定\n\n{body}")
        text = (
            f"# 中华人民共和国测试法第{number + 1}号\n\n"
            "2021年1月1日 第十三届全国人民代表大会常务委员会通过\n\n<!-- INFO END -->\n\n"
            + "\n\n".join(chapters)
            + "\n"
        )
        (folder / f"test-law-{number + 1:04d}.md").write_text(text, encoding="utf-8")
    return laws * per_law


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--laws", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=50)
    args = parser.parse_args()
    from tests.bench.scratch_django import setup_django

    setup_django("laws")
    from django.core.management import call_command
    from django.db import connection

    from courses.law_search import article_search
    from courses.models import LawArticle

    folder = Path(tempfile.mkdtemp(prefix="bench-law-texts-"))
    library(folder, args.laws, args.articles)
    started = time.perf_counter()
    call_command("import_law", str(folder), stdout=io.StringIO())
    imported = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = LawArticle.objects.count()

    rng = random.Random(11)
    article_search(QUERIES[0])  # warm the connection and the caches
    timings = []
    for _ in range(200):
        query = rng.choice(QUERIES)
        started = time.perf_counter()
        hits = article_search(query)
        timings.append((time.perf_counter() - started) * 1000)
        assert hits, query
    timings.sort()
    print(f"database: {connection.vendor}")
    print(
        f"import: {args.laws} laws, {count} articles in {imported:.1f} s; peak RSS {peak_mb:.0f} MB"
    )
    print(
        f"search (200 queries of 1-4 words): p50 {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
