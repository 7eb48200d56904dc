"""Load generator for the stores: claims/s through engine + Redis + ledger, and Redis memory.

Claims (new B1s, round-robin over up to 5,000 generated HMO families and ten generics,
so none is a duplicate or a refill too soon) are adjudicated by P processes of T
threads each, every process built by ``api.runtime.build_runtime`` exactly as the
service would be. Printed: claims/s, Redis round trips per claim on the claim's
path and off it (journal confirmations), ledger records per commit (the
group-commit gain) and snapshot-cache hits. Each run uses its own Redis prefix and
its own database, removed afterwards.

    python -m benchmarks.load_store --processes 1 --threads 1 --claims 3000
    python -m benchmarks.load_store --processes 2 --threads 8 --claims 5000 --database postgres
    python -m benchmarks.load_store --threads 8 --max-batch 1        # no group commit
    python -m benchmarks.load_store --claims 6000 --families 1000    # warm snapshot cache
    python -m benchmarks.load_store --memory-families 50000          # Redis memory
    python -m benchmarks.load_store --ledger-records 2400 --threads 8  # group commit alone

``--memory-families N`` writes N families (two persons, three fills each, one
medical transaction) and sums MEMORY USAGE over every key, then extrapolates to
one million members (500,000 such families).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

import psycopg

from benchmarks.catalog_factory import BENCH_FAMILIES, bench_cardholder, build_catalog
from benchmarks.test_adjudication import CLAIM, DAY, GENERICS

REDIS_URL = os.environ.get("RXADJ_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_ADMIN = os.environ.get("RXADJ_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _env(args: argparse.Namespace, database_url: str, prefix: str) -> dict[str, str]:
    return {
        "RXADJ_DATABASE_URL": database_url,
        "RXADJ_REDIS_URL": REDIS_URL,
        "RXADJ_REDIS_PREFIX": prefix,
        "RXADJ_SNAPSHOT_CACHE": "0" if args.no_cache else "100000",
        "RXADJ_LEDGER_MAX_BATCH": str(args.max_batch),
        "RXADJ_LEDGER_LEASE": "2",  # the first start builds Redis, waiting one lease
        "RXADJ_RECOVERY_GRACE": "5",
    }


def _runtime(env: dict[str, str], plans: Path):
    from api.runtime import build_runtime
    from api.settings import REPO_ROOT, Settings
    from engine.catalog.loader import load_catalog

    catalog = load_catalog([plans, REPO_ROOT / "rules"])
    return build_runtime(Settings.from_env(env), catalog=catalog)


def _worker(env, plans, process, args, start, results) -> None:
    runtime = _runtime(env, plans)
    per_thread = args.claims // args.threads
    stride = args.processes * args.threads
    statuses: list[str] = []

    def run(thread: int) -> None:
        me = process * args.threads + thread
        for i in range(per_thread):
            n = me + i * stride
            claim = replace(
                CLAIM,
                cardholder_id=bench_cardholder(n % args.families),
                date_of_birth=dt.date(1980, 1, 1),
                rx_number=700_000 + n,
                ndc=GENERICS[(n // args.families) % len(GENERICS)],
            )
            statuses.append(runtime.processor.process(claim, DAY).status)

    threads = [threading.Thread(target=run, args=(t,)) for t in range(args.threads)]
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    store, writer = runtime.accumulators.stats, runtime.sql.writer.stats
    time.sleep(0.2)  # let the writer's last journal confirmation go out before counting
    results.put(
        {
            "claims": len(statuses),
            "paid": statuses.count("P"),
            "elapsed": elapsed,
            "round_trips": store.round_trips,
            "admin_round_trips": store.admin_round_trips,
            "cache_hits": store.cache_hits,
            "conflicts": store.conflicts,
            "writes": writer.writes,
            "commits": writer.commits,
        }
    )
    runtime.close()


def _database(args: argparse.Namespace, tmp: Path) -> tuple[str, str | None]:
    if args.database == "sqlite":
        tmp.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{tmp / 'ledger.sqlite3'}", None
    name = f"rxadj_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", name


def _drop(name: str | None) -> None:
    if name is not None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cleanup(prefix: str) -> None:
    from engine.store.redis import RedisAccumulatorStore, from_url
    from engine.store.redis_admin import RedisAdmin

    client = from_url(REDIS_URL)
    RedisAdmin(RedisAccumulatorStore(client, prefix)).delete_all()
    client.close()


def load(args: argparse.Namespace) -> None:
    """Run the claims load and print the figures."""
    prefix = f"rxadj-bench-{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        build_catalog(tmp / "catalog", 200)
        plans = tmp / "catalog" / "plans"
        url, pg_name = _database(args, tmp)
        env = _env(args, url, prefix)
        try:
            _runtime(env, plans).close()  # migrate, seed 5,000 families, build Redis
            context = multiprocessing.get_context("spawn")
            start, results = context.Event(), context.Queue()
            workers = [
                context.Process(target=_worker, args=(env, plans, p, args, start, results))
                for p in range(args.processes)
            ]
            for worker in workers:
                worker.start()
            time.sleep(3 + 2 * args.processes)  # every process built and waiting
            start.set()
            reports = [results.get(timeout=600) for _ in workers]
            for worker in workers:
                worker.join()
        finally:
            _cleanup(prefix)
            _drop(pg_name)
    claims = sum(r["claims"] for r in reports)
    elapsed = max(r["elapsed"] for r in reports)
    total = {k: sum(r[k] for r in reports) for k in reports[0]}
    print(
        f"{args.processes} process(es) x {args.threads} thread(s), {args.database}, "
        f"cache {'off' if args.no_cache else 'on'}, max batch {args.max_batch}: "
        f"{claims} claims ({total['paid']} paid) in {elapsed:.2f}s = {claims / elapsed:,.0f}/s"
    )
    print(
        f"  redis round trips per claim: {total['round_trips'] / claims:.3f} on the claim's "
        f"path, {total['admin_round_trips'] / claims:.3f} off it (journal confirmations); "
        f"cache hits {total['cache_hits']}, conflicts {total['conflicts']}"
    )
    print(
        f"  ledger: {total['writes']} records in {total['commits']} commits "
        f"({total['writes'] / max(1, total['commits']):.1f} records per commit)"
    )


def memory(families: int) -> None:
    """Write sample families and measure their Redis memory with MEMORY USAGE."""
    from engine.accumulators import AccumulatorTxn, FamilyKey, Fill
    from engine.store.redis import RedisAccumulatorStore, from_url
    from engine.store.redis_admin import RedisAdmin

    prefix = f"rxadj-bench-{uuid.uuid4().hex[:10]}"
    client = from_url(REDIS_URL)
    admin = RedisAdmin(RedisAccumulatorStore(client, prefix))
    year = dt.date(2026, 1, 1)

    def rows():
        for f in range(families):
            key = FamilyKey(f"ZZB{f:07d}", year)
            for number, person in enumerate(("001", "002")):
                for fill in range(3):
                    rx = 100_000_000 + f * 10 + number * 3 + fill
                    txn_id = f"610999|RXADJHMO|1234567893|{rx}|0|2026-0{fill + 1}-02#1"
                    deltas = {f"ded:{person}:rx": 2500, f"oop:{person}:rx": 3500}
                    day = dt.date(2026, fill + 1, 2)
                    item = Fill(txn_id, person, GENERICS[fill], GENERICS[fill], day, 30)
                    yield key, AccumulatorTxn(txn_id, deltas, item)
            yield key, AccumulatorTxn(f"med:CARRIER-{f:09d}", {"ded:001:med": 10000})

    try:
        problems = admin.replay(rows())
        assert not problems, problems[:3]
        names = list(client.scan_iter(match=f"{prefix}:{{*", count=5000))
        sizes = []
        for start in range(0, len(names), 5000):
            with client.pipeline(transaction=False) as pipe:
                for name in names[start : start + 5000]:
                    pipe.memory_usage(name, samples=0)
                sizes.extend(pipe.execute())
    finally:
        admin.delete_all()
        client.close()
    per_family = sum(sizes) / families
    print(
        f"{families} families (2 persons, 6 fills, 1 medical txn): {len(names)} keys, "
        f"{sum(sizes) / 2**20:.1f} MiB = {per_family:,.0f} bytes per family; "
        f"1,000,000 members = 500,000 such families = {per_family * 500_000 / 2**30:.2f} GiB"
    )


def ledger_only(args: argparse.Namespace, records: int) -> None:
    """Group commit alone: THREADS callers record paid entries; batched, then one by one."""
    from engine.store.base import EntryKind, LedgerEntry
    from engine.store.sql import SqlLedger

    with tempfile.TemporaryDirectory() as directory:
        catalog = _catalog(Path(directory))
        decision = _decision(catalog)
        for batch in (args.max_batch, 1):
            url, pg_name = _database(args, Path(directory) / uuid.uuid4().hex)
            ledger = SqlLedger.open(url, max_batch=batch)

            def caller(thread: int, ledger: SqlLedger = ledger) -> None:
                for i in range(records // args.threads):
                    entry = LedgerEntry(f"k{thread}-{i}", 1, EntryKind.PAID, decision)
                    ledger.record(entry)

            threads = [threading.Thread(target=caller, args=(t,)) for t in range(args.threads)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            stats = ledger.writer.stats
            ledger.close()
            _drop(pg_name)
            print(
                f"ledger only, {args.database}, {args.threads} threads, max batch {batch}: "
                f"{stats.writes / elapsed:,.0f} records/s, "
                f"{stats.writes / max(1, stats.commits):.1f} records per commit"
            )


def _catalog(directory: Path):
    from api.settings import REPO_ROOT
    from engine.catalog.loader import load_catalog

    build_catalog(directory / "catalog", 200)
    return load_catalog([directory / "catalog" / "plans", REPO_ROOT / "rules"])


def _decision(catalog):
    """One paid decision to record over and over (its content does not matter here)."""
    from engine.adjudication.processor import ClaimProcessor
    from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

    processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    claim = replace(CLAIM, cardholder_id=bench_cardholder(0), date_of_birth=dt.date(1980, 1, 1))
    return processor.process(claim, DAY)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--claims", type=int, default=3000, help="claims per process")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--no-cache", action="store_true", help="disable the snapshot cache")
    parser.add_argument("--max-batch", type=int, default=500, help="1 disables group commit")
    parser.add_argument(
        "--families",
        type=int,
        default=BENCH_FAMILIES,
        help=f"families the claims cycle over (at most {BENCH_FAMILIES}); claims beyond "
        "the first round find their family in the snapshot cache",
    )
    parser.add_argument("--memory-families", type=int, default=0)
    parser.add_argument("--ledger-records", type=int, default=0, help="group commit alone")
    args = parser.parse_args()
    args.families = max(1, min(args.families, BENCH_FAMILIES))
    if args.memory_families:
        memory(args.memory_families)
    elif args.ledger_records:
        ledger_only(args, args.ledger_records)
    else:
        load(args)


if __name__ == "__main__":
    main()
