"""Locust's own entry to the crowd of readers (bench/crowd.py):

    locust -f bench/locustfile.py --host http://127.0.0.1:8611/app/ --headless -u 100 -r 5 -t 2m
    CROWD_THINK=0.5,1 CROWD_TIMEOUT=30 locust -f bench/locustfile.py ...   (fast, for development)

Locust's --master/--worker spread the same users over several machines.
"""

import os
import sys
from pathlib import Path

# Locust puts this file's directory on sys.path, not the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.crowd import DEFAULT_THINK_S, DEFAULT_TIMEOUT_S, CrowdUser


class Reader(CrowdUser):
    abstract = False
    think_s = tuple(float(x) for x in os.environ.get(
        "CROWD_THINK", ",".join(map(str, DEFAULT_THINK_S))).split(","))
    timeout_s = float(os.environ.get("CROWD_TIMEOUT", DEFAULT_TIMEOUT_S))
