/*
 * fabtwin-ns3: the ns-3 half of the fabtwin co-simulation.
 *
 * Lockstep mode (started by the Python twin, twin/bridge/ns3_process.py):
 *   fabtwin-ns3 --endpoint=ipc:///tmp/fabtwin-XXXX/bridge --parent-pid=1234
 * The twin sends HELLO with the cell description (JSON), then ADVANCE requests; this process builds
 * the topology, runs each step and replies with REPORTs (twin/bridge/protocol.py).
 *
 * Standalone traffic mode (no Python in the loop; the baseline of
 * scripts/bench/bench_loop_overhead.py): fabtwin-ns3 --standalone --cell=cell.json --duration-s=2
 * Runs every flow's periodic traffic (flows[].period_ns) and prints a JSON summary on stdout.
 *
 * Layout check: fabtwin-ns3 --protocol-layout prints the compiled record layout as JSON.
 * Any ns-3 attribute can be set too, e.g. --ns3::WifiMacQueue::MaxSize=100p.
 */

#include "cell-description.h"
#include "factory-cell.h"

#include "../model/twin-bridge.h"
#include "../model/twin-protocol.h"

#include "ns3/abort.h"
#include "ns3/command-line.h"
#include "ns3/simulator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <sys/prctl.h>
#include <unistd.h>

using namespace ns3;
using namespace ns3::twinproto;

namespace
{

/// Drops the current cell and every ns-3 object, so a new cell starts from a clean simulator.
void
DestroyCell(std::unique_ptr<FactoryCell>& cell)
{
    cell.reset();
    Simulator::Destroy();
}

/// Serves the twin until CLOSE. @return the process exit status
int
Serve(const std::string& endpoint, double idleTimeoutS)
{
    TwinBridge bridge(endpoint, static_cast<int>(idleTimeoutS * 1000));
    std::unique_ptr<FactoryCell> cell;
    while (true)
    {
        std::optional<TwinRequest> req;
        try
        {
            req = bridge.Receive();
        }
        catch (const ProtocolError& e)
        {
            std::cerr << "fabtwin-ns3: protocol error: " << e.what() << std::endl;
            bridge.SendText(MsgType::ERROR, std::string("protocol error: ") + e.what());
            continue;
        }
        if (!req)
        {
            std::cerr << "fabtwin-ns3: no request for " << idleTimeoutS
                      << " s (--idle-timeout-s); exiting" << std::endl;
            DestroyCell(cell);
            return 4;
        }
        try
        {
            switch (req->Type())
            {
                case MsgType::HELLO:
                case MsgType::RESET:
                {
                    DestroyCell(cell);
                    auto desc = CellDescription::FromJson(req->Text(0));
                    cell = std::make_unique<FactoryCell>(std::move(desc));
                    cell->Build();
                    bridge.SendText(MsgType::READY, cell->InfoJson());
                    break;
                }
                case MsgType::ADVANCE:
                {
                    if (!cell)
                    {
                        throw std::runtime_error("ADVANCE before a successful HELLO");
                    }
                    const auto& h = req->header;
                    StepRequest step;
                    step.positions = req->Records<PositionRecord>(0, h.count0, "PositionRecord");
                    step.txs = req->Records<TxRequestRecord>(1, h.count1, "TxRequestRecord");
                    step.muSchedule =
                        req->Records<MuScheduleRecord>(2, h.count2, "MuScheduleRecord");
                    step.gateWindows =
                        req->Records<GateWindowRecord>(3, h.count3, "GateWindowRecord");
                    StepReport rep = cell->Advance(h.time_ns, step);
                    bridge.SendReport(
                        rep.nowNs, rep.deliveries, rep.drops, rep.linkStats, rep.transmissions);
                    break;
                }
                case MsgType::CLOSE:
                    DestroyCell(cell);
                    bridge.SendEmpty(MsgType::BYE);
                    return 0;
                default:
                    throw ProtocolError("unexpected message type");
            }
        }
        catch (const ProtocolError& e)
        {
            std::cerr << "fabtwin-ns3: protocol error: " << e.what() << std::endl;
            bridge.SendText(MsgType::ERROR, std::string("protocol error: ") + e.what());
        }
        catch (const std::exception& e)
        {
            std::cerr << "fabtwin-ns3: error: " << e.what() << std::endl;
            bridge.SendText(MsgType::ERROR, e.what());
        }
    }
}

/// Runs the cell's own periodic traffic with no twin. @return the process exit status
int
RunStandalone(const std::string& cellPath, double durationS)
{
    std::ifstream in(cellPath);
    NS_ABORT_MSG_IF(!in, "--cell: cannot read '" << cellPath << "'");
    std::stringstream text;
    text << in.rdbuf();
    FactoryCell cell(CellDescription::FromJson(text.str()));
    cell.Build();
    int64_t untilNs = static_cast<int64_t>(durationS * 1e9);
    cell.ScheduleOwnTraffic(untilNs);
    auto wall0 = std::chrono::steady_clock::now();
    const uint64_t events0 = Simulator::GetEventCount();
    StepReport rep = cell.Advance(untilNs, StepRequest{});
    const uint64_t events = Simulator::GetEventCount() - events0;
    double wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    std::vector<double> lat;
    lat.reserve(rep.deliveries.size());
    for (const auto& d : rep.deliveries)
    {
        lat.push_back((d.rx_time_ns - d.send_time_ns) * 1e-6);
    }
    std::sort(lat.begin(), lat.end());
    nlohmann::json j;
    j["simulated_s"] = durationS;
    j["wall_s"] = wallS;
    j["events"] = events;
    j["delivered"] = rep.deliveries.size();
    j["dropped"] = rep.drops.size();
    j["median_latency_ms"] = lat.empty() ? 0.0 : lat[lat.size() / 2];
    const auto& ac = cell.EnqueuedByAc();
    j["enqueued_by_ac"] = {
        {"BE", ac[AC_BE]}, {"BK", ac[AC_BK]}, {"VI", ac[AC_VI]}, {"VO", ac[AC_VO]}};
    std::cout << j.dump() << std::endl;
    Simulator::Destroy();
    return 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string endpoint;
    int64_t parentPid = 0;      // pid of the twin process; we die with it
    double idleTimeoutS = 3600; // seconds without a request before giving up
    bool standalone = false;
    std::string cellPath;
    double durationS = 1.0; // simulated seconds (standalone mode)
    bool protocolLayout = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue(
        "endpoint", "ZeroMQ endpoint the twin bound (ipc:// or tcp://127.0.0.1:port)", endpoint);
    cmd.AddValue("parent-pid", "pid of the twin; this process is killed when it dies", parentPid);
    cmd.AddValue(
        "idle-timeout-s", "exit after this many seconds without a request (s, > 0)", idleTimeoutS);
    cmd.AddValue("standalone", "run the cell's own periodic traffic with no twin", standalone);
    cmd.AddValue("cell", "cell description JSON file (standalone mode)", cellPath);
    cmd.AddValue("duration-s", "simulated time in standalone mode (s, > 0)", durationS);
    cmd.AddValue("protocol-layout",
                 "print the compiled protocol record layout as JSON and exit",
                 protocolLayout);
    cmd.Parse(argc, argv);

    if (protocolLayout)
    {
        std::cout << LayoutJson() << std::endl;
        return 0;
    }
    if (parentPid > 0)
    {
        // No orphan survives the twin: the kernel kills us when the parent thread exits.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != static_cast<pid_t>(parentPid))
        {
            std::cerr << "fabtwin-ns3: parent " << parentPid << " already gone" << std::endl;
            return 3;
        }
    }
    NS_ABORT_MSG_IF(!(idleTimeoutS > 0), "--idle-timeout-s must be > 0, got " << idleTimeoutS);
    if (standalone)
    {
        NS_ABORT_MSG_IF(cellPath.empty(), "--cell is required with --standalone");
        NS_ABORT_MSG_IF(!(durationS > 0), "--duration-s must be > 0, got " << durationS);
        try
        {
            return RunStandalone(cellPath, durationS);
        }
        catch (const std::exception& e)
        {
            std::cerr << "fabtwin-ns3: " << e.what() << std::endl;
            return 2;
        }
    }
    NS_ABORT_MSG_IF(endpoint.empty(), "--endpoint is required (e.g. ipc:///tmp/fabtwin-x/bridge)");
    return Serve(endpoint, idleTimeoutS);
}
