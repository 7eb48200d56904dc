"""An adjudicating process for the multi-process tests (run as a script, not collected).

    python claim_worker.py CLAIMS_JSON START STEP THREADS

Builds the runtime exactly as the command line does (settings from RXADJ_*
variables, start-up rebuild and recovery) over the test catalog, then adjudicates
every STEP-th claim from START with THREADS threads. After each claim's decision
is returned (acknowledged), it prints one JSON line: the claim's index, status,
transaction id and figures. The parent may kill -9 it at any moment.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.runtime import build_runtime
from api.settings import Settings
from engine.adjudication.serialize import claim_from_dict, decision_to_dict
from engine.catalog.loader import load_catalog

from conftest import catalog_paths_for_tests

RECEIVED = dt.date(2026, 12, 31)


def main() -> None:
    path, start, step, threads = sys.argv[1], *map(int, sys.argv[2:5])
    claims = [claim_from_dict(c) for c in json.loads(Path(path).read_text())]
    mine = list(range(start, len(claims), step))
    runtime = build_runtime(Settings.from_env(), catalog=load_catalog(catalog_paths_for_tests()))
    lock = threading.Lock()
    print(json.dumps({"ready": True}), flush=True)

    def work(indexes: list[int]) -> None:
        for index in indexes:
            decision = runtime.processor.process(claims[index], RECEIVED)
            line = json.dumps({"i": index, "decision": decision_to_dict(decision)})
            with lock:
                print(line, flush=True)

    pool = [threading.Thread(target=work, args=(mine[n::threads],)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    runtime.close()


if __name__ == "__main__":
    main()
