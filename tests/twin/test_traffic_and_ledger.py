from __future__ import annotations

import numpy as np

from tests.conftest import small_cell
from twin.bridge import protocol as P
from twin.packet_ledger import DELIVERED, DROPPED, IN_FLIGHT, PacketLedger
from twin.traffic import PeriodicTraffic


def test_periodic_traffic_exact_times_across_windows() -> None:
    cell = small_cell(2, period_s=0.002)  # 4 flows; downlinks start at 1 ms
    tr = PeriodicTraffic(cell)
    chunks = [tr.window(end) for end in range(1_000_000, 10_000_001, 700_000)]
    flow = np.concatenate([c[0] for c in chunks])
    send = np.concatenate([c[2] for c in chunks])
    for f in range(4):
        times = np.sort(send[flow == f])
        start = 0 if f % 2 == 0 else 1_000_000
        expected = np.arange(start, 9_800_000, 2_000_000)
        np.testing.assert_array_equal(times, expected)
    for c in chunks:  # each window is time-ordered
        assert np.all(np.diff(c[2]) >= 0)


def test_ledger_fates_and_growth() -> None:
    led = PacketLedger(capacity=2)
    seq = led.add(np.arange(5, dtype=np.uint32), np.full(5, 100, np.uint32), np.arange(5) * 10)
    np.testing.assert_array_equal(seq, np.arange(5))
    d = np.zeros(2, P.DELIVERY_DTYPE)
    d["seq"], d["rx_time_ns"], d["flow"] = [0, 3], [7, 50], [0, 3]
    led.deliver(d)
    dr = np.zeros(1, P.DROP_DTYPE)
    dr["seq"], dr["reason"], dr["time_ns"] = [1], [int(P.DropReason.RETRY_LIMIT)], [20]
    led.drop(dr)
    np.testing.assert_array_equal(led.fate(), [DELIVERED, DROPPED, IN_FLIGHT, DELIVERED, IN_FLIGHT])
    np.testing.assert_array_equal(led.latency_ns(), [7, -1, -1, 20, -1])
