#include "cell-description-json.h"
#include "cell-description.h"

#include <string>

namespace ns3
{

using namespace celljson;

namespace
{

/// The wired streams: talker wired or the AP, a period and a MaxLatency.
void
ParseWiredStreams(const Json& q, CellDescription& d)
{
    Json streams = q.value("streams", Json::array());
    if (!streams.is_array())
    {
        Fail("wired.qbv.streams", "must be a list");
    }
    for (std::size_t i = 0; i < streams.size(); ++i)
    {
        const Json& x = streams[i];
        const std::string path = "wired.qbv.streams[" + std::to_string(i) + "]";
        WiredStreamDescription sd;
        const auto flow = Get<std::string>(x, "flow", path, "");
        sd.flow = IndexByName(d.flows, flow, path + ".flow", "flow");
        const auto& fd = d.flows[sd.flow];
        const bool apTalker = d.nodes[fd.src].role == "ap";
        if (!d.IsWired(fd.src) && !apTalker)
        {
            Fail(path + ".flow",
                 "'" + flow + "': the talker '" + d.nodes[fd.src].name +
                     "' must be wired or the AP (the wired segment schedules from its ingress)");
        }
        if (apTalker && !d.IsWired(fd.dst))
        {
            Fail(path + ".flow",
                 "'" + flow + "' does not cross the wired segment (talker and listener on Wi-Fi)");
        }
        sd.periodNs = Get<int64_t>(x, "period_ns", path, fd.periodNs);
        sd.maxLatencyNs = Get<int64_t>(x, "max_latency_ns", path, sd.periodNs);
        if (sd.periodNs <= 0 || sd.periodNs > 1000000000)
        {
            Fail(path + ".period_ns", "allowed: 1..1e9 ns (or a flow with period_ns)");
        }
        if (sd.maxLatencyNs <= 0)
        {
            Fail(path + ".max_latency_ns", "must be > 0");
        }
        d.wired.qbv.streams.push_back(sd);
    }
}

} // namespace

void
ParseWired(const Json& j, CellDescription& d)
{
    bool anyWired = false;
    for (std::size_t i = 0; i < d.nodes.size(); ++i)
    {
        anyWired = anyWired || d.IsWired(i);
    }
    if (!j.contains("wired") && !anyWired)
    {
        return;
    }
    const Json w = j.value("wired", Json::object());
    if (!w.is_object())
    {
        Fail("wired", "must be an object");
    }
    auto& wd = d.wired;
    wd.present = true;
    wd.rateBps = Get<double>(w, "rate_bps", "wired", wd.rateBps);
    if (!(wd.rateBps >= 1e6 && wd.rateBps <= 1e11))
    {
        Fail("wired.rate_bps", "allowed: 1e6..1e11 bit/s (802.3: 1e7, 1e8, 1e9, 2.5e9, 1e10)");
    }
    wd.delayNs = Get<int64_t>(w, "delay_ns", "wired", wd.delayNs);
    if (wd.delayNs < 0 || wd.delayNs > 1000000)
    {
        Fail("wired.delay_ns", "allowed: 0..1000000 ns per link");
    }
    wd.processingDelayNs = Get<int64_t>(w, "processing_delay_ns", "wired", wd.processingDelayNs);
    if (wd.processingDelayNs < 0 || wd.processingDelayNs > 1000000)
    {
        Fail("wired.processing_delay_ns", "allowed: 0..1000000 ns");
    }
    wd.queuePackets = Get<uint32_t>(w, "queue_packets", "wired", wd.queuePackets);
    if (wd.queuePackets < 1 || wd.queuePackets > 100000)
    {
        Fail("wired.queue_packets", "allowed: 1..100000");
    }
    const Json q = w.value("qbv", Json::object());
    if (!q.is_object())
    {
        Fail("wired.qbv", "must be an object");
    }
    wd.qbv.enabled = Get<bool>(q, "enabled", "wired.qbv", false);
    wd.qbv.syncErrorBoundNs = Get<int64_t>(q, "sync_error_bound_ns", "wired.qbv", -1);
    if (wd.qbv.syncErrorBoundNs < -1 || wd.qbv.syncErrorBoundNs > 1000000)
    {
        Fail("wired.qbv.sync_error_bound_ns",
             "allowed: 0..1000000 ns, or -1 = derived (0 without tsn, else the 802.1AS bound)");
    }
    wd.qbv.guardBandNs = Get<int64_t>(q, "guard_band_ns", "wired.qbv", 0);
    if (wd.qbv.guardBandNs < 0 || wd.qbv.guardBandNs > 1000000)
    {
        Fail("wired.qbv.guard_band_ns", "allowed: 0..1000000 ns");
    }
    ParseWiredStreams(q, d);
    if (!wd.qbv.streams.empty() && !wd.qbv.enabled)
    {
        Fail("wired.qbv.streams", "need wired.qbv.enabled (streams are scheduled by the shapers)");
    }
    if (wd.qbv.enabled && wd.qbv.streams.empty())
    {
        Fail("wired.qbv.enabled", "needs wired.qbv.streams (the gates come from the streams)");
    }
}

} // namespace ns3
