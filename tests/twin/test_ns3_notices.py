"""fabtwin-ns3's timed notices are picked out of its stderr log for summary.json."""

from __future__ import annotations

from pathlib import Path

from twin.experiment import ns3_notices


def test_only_timed_notices_are_kept_oldest_first_up_to_the_limit(tmp_path: Path) -> None:
    log = tmp_path / "ns3.stderr.log"
    log.write_text(
        "+0.1s 0 [link=0] some NS_LOG line\n"
        "fabtwin-ns3: t=+246.551ms: 00:00:00:00:00:01 had its Block Ack agreement ...\n"
        "fabtwin-ns3: protocol error: not a notice\n"
        "fabtwin-ns3: t=+900ms: second\n"
        "fabtwin-ns3: t=+901ms: third\n"
    )
    assert ns3_notices(log) == [
        "fabtwin-ns3: t=+246.551ms: 00:00:00:00:00:01 had its Block Ack agreement ...",
        "fabtwin-ns3: t=+900ms: second",
        "fabtwin-ns3: t=+901ms: third",
    ]
    assert ns3_notices(log, limit=1) == [
        "fabtwin-ns3: t=+246.551ms: 00:00:00:00:00:01 had its Block Ack agreement ..."
    ]


def test_a_missing_log_gives_no_notices(tmp_path: Path) -> None:
    assert ns3_notices(tmp_path / "absent.log") == []
