#!/usr/bin/env python3
"""Reads the load's answers and the scenario's events and reports, per phase, how many requests
were served, failed, or answered without the session.

Usage: report.py LOAD.json EVENTS.tsv REPORT.json
EVENTS.tsv holds "TIME<TAB>NAME" lines, in order; a phase runs from its event to the next one.
"""
import json
import sys
from collections import Counter

load = json.load(open(sys.argv[1]))
events = [line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if line.strip()]
events = [(float(t), name) for t, name in events]
phases = []
for i, (start, name) in enumerate(events):
    end = events[i + 1][0] if i + 1 < len(events) else float("inf")
    answers = [r for r in load if start <= r[0] < end]
    count = Counter(r[1] for r in answers)
    failures = Counter(r[2] for r in answers if r[1] == "failed")
    seconds = (end if end != float("inf") else (load[-1][0] if load else start)) - start
    phases.append({
        "phase": name,
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(answers) / seconds) if seconds > 0 else 0,
        "requests": len(answers),
        "ok": count["ok"],
        "failed": count["failed"],
        "lost_session": count["lost_session"],
        "failures": dict(failures.most_common(5)),
    })
total = Counter(r[1] for r in load)
report = {
    "requests": len(load),
    "ok": total["ok"],
    "failed": total["failed"],
    "lost_session": total["lost_session"],
    "phases": phases,
}
json.dump(report, open(sys.argv[3], "w"), indent=2)
print(json.dumps(report, indent=2))
