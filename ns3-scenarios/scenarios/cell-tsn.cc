#include "cell-tsn.h"

#include "cell-wired.h"

#include "../model/flow-tag.h"
#include "../model/gptp-tag.h"
#include "../model/wifi-gate-enforcer.h"

#include "ns3/abort.h"
#include "ns3/ap-wifi-mac.h"
#include "ns3/boolean.h"
#include "ns3/he-phy.h"
#include "ns3/llc-snap-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/ofdm-phy.h"
#include "ns3/qos-txop.h"
#include "ns3/qos-utils.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-mpdu.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-tx-vector.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CellTsn");

namespace
{

/// The one shared link of the BSS in the configurator (all stations and the AP transmit on it).
const std::string kBss = "bss";
/// Traffic class of scheduled streams (TsnConfigurator ScheduledTrafficClass).
constexpr uint8_t kScheduledTc = 7;
/// User priority of scheduled frames in the MAC: UP 7 maps to AC_VO (802.11-2020 Table 10-1).
constexpr uint8_t kScheduledUp = 7;
/// Traffic class of gPTP frames (UP 6, as FactoryCell sends them).
constexpr uint8_t kGptpTc = 6;
/// Largest gPTP payload: Follow_Up with its information TLV, 76 bytes (802.1AS-2020 11.4.4).
constexpr uint32_t kGptpMaxBytes = 76;
/// MPDU overhead of a QoS Data frame: header 26 + FCS 4 (802.11-2020 9.3.2.1, 9.3.3.1), plus
/// the 8-byte LLC/SNAP header WifiNetDevice adds and the 4-byte A-MPDU subframe delimiter (every
/// HE SU PSDU is an A-MPDU, 802.11ax-2021 26.6.3.1).
constexpr uint32_t kPsduOverhead = 26 + 4 + 8 + 4;
/// Ack frame: 14 bytes (802.11-2020 9.3.1.3). The shaped cell has no Block Ack agreements.
constexpr uint32_t kAckBytes = 14;

/// Time unit of beacon intervals: 1024 us (802.11-2020 3.1, TU; 11.1.3.2).
constexpr int64_t kTuNs = 1024000;

/**
 * A beacon interval that is a whole number of cycles (so beacons keep their place in the
 * cycle on the grandmaster's time base): the least common multiple of the TU and the cycle,
 * repeated up to at least 100 TU, or 0 if that exceeds about 1 s.
 */
int64_t
AlignedBeaconIntervalNs(int64_t cycleNs)
{
    const int64_t lcm = kTuNs / std::gcd(kTuNs, cycleNs) * cycleNs;
    if (lcm > 1000 * kTuNs)
    {
        return 0;
    }
    return lcm * ((100 * kTuNs + lcm - 1) / lcm);
}

/// 802.1Q-2018 Table 8-5, 8 traffic classes: priority 1 (background) is the lowest class.
uint8_t
TcOfUp(uint8_t up)
{
    if (up == 0)
    {
        return 1;
    }
    if (up == 1)
    {
        return 0;
    }
    return up;
}

/// The inverse of TcOfUp (scheduled class 7 = UP 7).
uint8_t
UpOfTc(uint8_t tc)
{
    if (tc == 0)
    {
        return 1;
    }
    if (tc == 1)
    {
        return 0;
    }
    return tc;
}

/// Unscheduled frames of user priority 6 (gPTP, VO flows that are not streams) go to the MAC as
/// UP 5 (AC_VI, 802.11-2020 Table 10-1), so AC_VO carries the scheduled class alone: ns-3 keeps
/// one Block Ack Request queue per access category and receiver (not per TID), which a closed
/// gate cannot hold per class, so a BAR left by a failed frame of a closed VO class would go out
/// at the scheduled class's window opening, ahead of the scheduled frame (seen in hybrid runs:
/// the AP's gPTP to its stations, a BAR + Block Ack exchange of about 120 us in the window).
constexpr uint8_t kUnscheduledVoUp = 5;

/// @return the user priority (= TID) a frame of traffic class tc gets in the MAC
uint8_t
MacUp(uint8_t tc)
{
    if (tc == kScheduledTc)
    {
        return kScheduledUp;
    }
    const uint8_t up = UpOfTc(tc);
    return up == 6 ? kUnscheduledVoUp : up;
}

/// @return the non-HT TX vector of the lowest mandatory rate, 6 Mbit/s at 20 MHz (802.11-2020
///         17.3.2.2), at which EIFS's reference Ack goes
WifiTxVector
LowestBasicRate()
{
    return WifiTxVector(OfdmPhy::GetOfdmRate6Mbps(),
                        0,
                        WIFI_PREAMBLE_LONG,
                        NanoSeconds(800),
                        1,
                        1,
                        0,
                        MHz_u{20},
                        false);
}

} // namespace

CellTsn::CellTsn(const CellDescription& desc,
                 std::vector<Ptr<WifiNetDevice>> devices,
                 std::vector<Ptr<LocalClock>> clocks,
                 uint32_t ap)
    : m_desc(desc)
    , m_devices(std::move(devices))
    , m_clocks(std::move(clocks))
    , m_ap(ap)
{
}

Time
CellTsn::Exchange(uint32_t payloadBytes) const
{
    const auto& w = m_desc.wifi;
    auto phy = m_devices[m_ap]->GetPhy();
    WifiTxVector data;
    data.SetMode(HePhy::GetHeMcs(w.mcs));
    data.SetPreambleType(WIFI_PREAMBLE_HE_SU);
    data.SetChannelWidth(MHz_u{static_cast<double>(w.channelWidthMhz)});
    data.SetGuardInterval(NanoSeconds(w.guardIntervalNs));
    data.SetNss(1);
    data.SetNTx(1);
    const Time air =
        WifiPhy::CalculateTxDuration(payloadBytes + kPsduOverhead, data, phy->GetPhyBand());
    // Control responses go at the highest mandatory rate not above the data's non-HT reference
    // rate (802.11-2020 10.6.6.5.2): 24 Mbit/s for HE-MCS >= 3 at 20 MHz.
    WifiTxVector ack(OfdmPhy::GetOfdmRate24Mbps(),
                     0,
                     WIFI_PREAMBLE_LONG,
                     NanoSeconds(800),
                     1,
                     1,
                     0,
                     MHz_u{20},
                     false);
    // No CF-End: every TXOP of a shaped cell is this one exchange (TXOP limit 0, Configure()).
    return air + phy->GetSifs() + WifiPhy::CalculateTxDuration(kAckBytes, ack, phy->GetPhyBand());
}

uint32_t
CellTsn::MaxAttempts() const
{
    uint32_t attempts = 1;
    for (const auto& sd : m_desc.tsn.streams)
    {
        attempts = std::max(attempts, sd.attempts);
    }
    return attempts;
}

Time
CellTsn::GetRetrySpan() const
{
    return m_cycle * static_cast<int64_t>(MaxAttempts());
}

Time
CellTsn::Access(uint8_t up, uint32_t attempt) const
{
    // EDCA (802.11-2020 10.23.2.4): AIFS[AC] = SIFS + AIFSN[AC] x slot; attempt i draws a backoff
    // of at most CW_i = min((CWmin + 1) 2^i - 1, CWmax) slots.
    auto phy = m_devices[m_ap]->GetPhy();
    auto txop = m_devices[m_ap]->GetMac()->GetQosTxop(QosUtilsMapTidToAc(up));
    const uint64_t cw =
        std::min<uint64_t>((txop->GetMinCw(0) + 1ULL) << attempt, txop->GetMaxCw(0) + 1ULL) - 1;
    Time access = phy->GetSifs() + phy->GetSlot() * static_cast<int64_t>(txop->GetAifsn(0) + cw);
    if (attempt == 0)
    {
        // The last frame before the window may have reached the talker in error (unscheduled
        // frames colliding in the guard band): it then defers EIFS - DIFS + AIFS[AC], i.e.
        // SIFS + an Ack at the lowest basic rate (6 Mbit/s) longer (802.11-2020 10.3.2.3.7).
        const WifiTxVector basic = LowestBasicRate();
        access +=
            phy->GetSifs() + WifiPhy::CalculateTxDuration(kAckBytes, basic, phy->GetPhyBand());
    }
    return access;
}

Time
CellTsn::FrameBudget(uint32_t payloadBytes, uint8_t up, uint32_t attempts) const
{
    Time total;
    for (uint32_t i = 0; i < attempts; ++i)
    {
        total += Access(up, i) + Exchange(payloadBytes);
    }
    return total;
}

Ptr<GateControlList>
CellTsn::MakeGcl(const std::vector<GateWindowDescription>& windows, const std::string& what) const
{
    const int64_t cycle = m_cycle.GetNanoSeconds();
    std::vector<std::pair<std::size_t, GateWindowDescription>> sorted;
    for (std::size_t i = 0; i < windows.size(); ++i)
    {
        const auto& w = windows[i];
        const std::string field = what + "[" + std::to_string(i) + "]";
        if (w.offsetNs < 0 || w.offsetNs >= cycle)
        {
            throw std::invalid_argument(field + ".offset_ns: " + std::to_string(w.offsetNs) +
                                        " is outside the cycle; allowed: 0.." +
                                        std::to_string(cycle - 1));
        }
        if (w.durationNs <= 0 || w.offsetNs + w.durationNs > cycle)
        {
            throw std::invalid_argument(field + ".duration_ns: " + std::to_string(w.durationNs) +
                                        " must be > 0 with offset_ns + duration_ns <= the cycle " +
                                        std::to_string(cycle) + " ns (802.1Q-2018 8.6.9.2)");
        }
        sorted.emplace_back(i, w);
    }
    std::sort(sorted.begin(),
              sorted.end(),
              [](const auto& a, const auto& b) { return a.second.offsetNs < b.second.offsetNs; });
    auto gcl = CreateObject<GateControlList>();
    gcl->SetCycleTime(m_cycle);
    int64_t cursor = 0;
    for (std::size_t k = 0; k < sorted.size(); ++k)
    {
        const auto& [i, w] = sorted[k];
        if (w.offsetNs < cursor)
        {
            throw std::invalid_argument(what + "[" + std::to_string(i) +
                                        "].offset_ns: the window overlaps " + what + "[" +
                                        std::to_string(sorted[k - 1].first) + "]");
        }
        if (w.offsetNs > cursor)
        {
            gcl->AddEntry(0, NanoSeconds(w.offsetNs - cursor)); // gaps close every gate
        }
        gcl->AddEntry(w.gateMask, NanoSeconds(w.durationNs));
        cursor = w.offsetNs + w.durationNs;
    }
    if (cursor < cycle)
    {
        gcl->AddEntry(0, NanoSeconds(cycle - cursor));
    }
    return gcl;
}

void
CellTsn::Configure()
{
    const auto& q = m_desc.tsn.qbv;
    const uint32_t n = m_devices.size();
    m_streamOfFlow.assign(m_desc.flows.size(), -1);
    for (std::size_t s = 0; s < m_desc.tsn.streams.size(); ++s)
    {
        m_streamOfFlow[m_desc.tsn.streams[s].flow] = static_cast<int>(s);
    }
    for (const auto& dev : m_devices)
    {
        if (!dev)
        {
            continue; // a wired node
        }
        // One frame per access category in the MAC at a time (the shaper's admission), and no
        // aggregation: a PPDU never carries more than the shaper budgeted.
        for (const char* ac : {"BE", "BK", "VI", "VO"})
        {
            dev->GetMac()->SetAttribute(std::string(ac) + "_MaxAmpduSize", UintegerValue(0));
        }
        // One frame exchange per channel access: TXOP limit 0 on every access category
        // (802.11-2020 10.23.2.9; set before association, so the AP's EDCA Parameter Set carries
        // it too, 9.4.2.28). With a limit, every frame's Duration/ID field reserves the rest of
        // the TXOP (9.2.5.2) and the other stations set their NAV to it (10.3.2.4); if the
        // holder's exchange fails it sends no CF-End, and that NAV (up to 4 ms on AC_VI) outlives
        // the gate close and keeps a station silent through its own window. Seen as about 2e-4
        // lost cycles: two stations' Block Ack Requests collide and a third decodes one of them
        // (capture) with a 4.06 ms NAV, 260 us before its window (docs/tsn.md).
        for (uint8_t ac = 0; ac < 4; ++ac)
        {
            dev->GetMac()->GetQosTxop(static_cast<AcIndex>(ac))->SetTxopLimit(Time(0));
        }
    }
    // Guard band: the longest unscheduled frame exchange that may have started just before the
    // gates closed (frames not yet started are pulled back from the MAC at gate close).
    Time longest = Exchange(kGptpMaxBytes);
    for (uint32_t f = 0; f < m_desc.flows.size(); ++f)
    {
        if (m_streamOfFlow[f] < 0)
        {
            longest = Max(longest, Exchange(m_desc.flows[f].sizeBytes));
        }
    }
    m_guardBand = q.guardBandNs >= 0 ? NanoSeconds(q.guardBandNs) : longest;
    m_gcls.assign(n, nullptr);
    if (!m_desc.tsn.streams.empty())
    {
        m_configurator = CreateObject<TsnConfigurator>();
        m_configurator->SetAttribute("SyncErrorBound", TimeValue(NanoSeconds(q.syncErrorBoundNs)));
        m_configurator->SetAttribute("GuardBand", TimeValue(m_guardBand));
        m_configurator->SetAttribute("ProcessingDelay",
                                     TimeValue(NanoSeconds(q.processingDelayNs)));
        m_configurator->SetAttribute("ScheduledTrafficClass", UintegerValue(kScheduledTc));
        std::vector<uint32_t> all;
        for (uint32_t i = 0; i < n; ++i)
        {
            if (m_devices[i])
            {
                all.push_back(i); // every Wi-Fi node transmits on the BSS
            }
        }
        m_configurator->AddLink(kBss, all);
        if (m_wired)
        {
            m_wired->AddLinks(m_configurator);
        }
        for (std::size_t s = 0; s < m_desc.tsn.streams.size(); ++s)
        {
            const auto& sd = m_desc.tsn.streams[s];
            const auto& f = m_desc.flows[sd.flow];
            TsnStreamRequirement r;
            r.name = f.name;
            r.talker = f.src;
            r.listener = f.dst;
            r.period = NanoSeconds(sd.periodNs);
            r.sizeBytes = f.sizeBytes;
            r.maxLatency = NanoSeconds(sd.maxLatencyNs);
            r.path = StreamPath(s);
            m_configurator->AddStream(r);
        }
        if (!m_configurator->Compute())
        {
            throw std::invalid_argument("cell description: tsn.streams: " +
                                        m_configurator->GetError());
        }
        m_cycle = m_configurator->GetHypercycle();
        if (q.cycleNs != 0 && q.cycleNs != m_cycle.GetNanoSeconds())
        {
            throw std::invalid_argument(
                "cell description: tsn.qbv.cycle_ns: " + std::to_string(q.cycleNs) +
                " differs from the streams' hypercycle " +
                std::to_string(m_cycle.GetNanoSeconds()) + " ns; allowed: 0 or the hypercycle");
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            m_gcls[i] = m_configurator->GetGateControlList(i, kBss);
        }
    }
    else
    {
        m_cycle = NanoSeconds(q.cycleNs);
    }
    if (m_wired)
    {
        // One schedule: the bridge's ports (and the end stations') get the wired hops' windows.
        m_wired->UseSchedule(m_configurator, m_cycle);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_gcls[i] && m_devices[i])
        {
            m_gcls[i] = CreateObject<GateControlList>();
            m_gcls[i]->SetCycleTime(m_cycle);
            m_gcls[i]->AddEntry(0xFF, m_cycle);
        }
    }
    std::map<uint32_t, std::vector<GateWindowDescription>> explicitLists;
    for (const auto& w : q.windows)
    {
        explicitLists[w.node].push_back(w);
    }
    for (const auto& [node, list] : explicitLists)
    {
        if (!m_devices[node])
        {
            throw std::invalid_argument("cell description: tsn.qbv.windows: node " +
                                        m_desc.nodes[node].name +
                                        " is wired; its port's gates come from tsn.streams");
        }
        m_gcls[node] =
            MakeGcl(list, "cell description: tsn.qbv.windows of " + m_desc.nodes[node].name);
    }
    // Beacons do not pass the shaper: give them a fixed place in the cycle (Start()).
    m_beaconIntervalNs = AlignedBeaconIntervalNs(m_cycle.GetNanoSeconds());
    if (m_beaconIntervalNs > 0)
    {
        auto apMac = m_devices[m_ap]->GetMac();
        apMac->SetAttribute("BeaconInterval", TimeValue(NanoSeconds(m_beaconIntervalNs)));
        apMac->SetAttribute("EnableBeaconJitter", BooleanValue(false));
    }
}

std::vector<TsnHop>
CellTsn::StreamPath(std::size_t s) const
{
    const auto& sd = m_desc.tsn.streams[s];
    const auto& f = m_desc.flows[sd.flow];
    const TsnHop wifi{kBss, f.src, FrameBudget(f.sizeBytes, kScheduledUp, sd.attempts)};
    const bool wiredSrc = m_wired && m_wired->IsWired(f.src);
    const bool wiredDst = m_wired && m_wired->IsWired(f.dst);
    if (!wiredSrc && !wiredDst)
    {
        if (f.src != m_ap && f.dst != m_ap)
        {
            throw std::invalid_argument(
                "cell description: tsn.streams[" + std::to_string(s) + "].flow: '" + f.name +
                "' goes station to station; scheduled streams must start or end at the AP "
                "(the AP relays below its shaper)");
        }
        return {wifi};
    }
    // Hybrid: the wired hops through the bridge, and the Wi-Fi hop where a station is an end.
    // The AP's residence between its Ethernet port and its BSS (either way) is the
    // configurator's processing delay (tsn.qbv.processing_delay_ns), plus the cable after a
    // wired hop.
    const Time apResidence = NanoSeconds(m_desc.tsn.qbv.processingDelayNs);
    const bool srcLan = wiredSrc || f.src == m_ap;
    const bool dstLan = wiredDst || f.dst == m_ap;
    if (srcLan && dstLan)
    {
        return m_wired->Hops(f.src, f.dst, f.sizeBytes);
    }
    if (srcLan)
    {
        // wired talker -> bridge -> AP -> station
        auto path = m_wired->Hops(f.src, m_ap, f.sizeBytes);
        TsnHop air{kBss, m_ap, wifi.frameDuration};
        air.processingDelay = apResidence + NanoSeconds(m_desc.wired.delayNs);
        path.push_back(air);
        return path;
    }
    // station -> AP -> bridge -> wired listener
    std::vector<TsnHop> path{wifi};
    for (const auto& hop : m_wired->Hops(m_ap, f.dst, f.sizeBytes, apResidence))
    {
        path.push_back(hop);
    }
    return path;
}

void
CellTsn::SetWired(CellWired* wired)
{
    m_wired = wired;
}

int64_t
CellTsn::GetBaseTimeNs() const
{
    return m_baseTimeNs;
}

int64_t
CellTsn::BeaconPhaseNs() const
{
    // The start of the AP's longest stretch with every unscheduled gate open.
    const uint8_t unscheduled = 0xFF & ~(1u << kScheduledTc);
    int64_t best = 0;
    int64_t bestLen = -1;
    int64_t at = 0;
    int64_t runStart = -1;
    const auto& entries = m_gcls[m_ap]->GetEntries();
    // Twice round the cycle, so a stretch that wraps is seen whole.
    for (int pass = 0; pass < 2; ++pass)
    {
        for (const auto& e : entries)
        {
            if ((e.gateStates & unscheduled) == unscheduled)
            {
                runStart = runStart < 0 ? at : runStart;
            }
            else
            {
                runStart = -1;
            }
            at += e.duration.GetNanoSeconds();
            if (runStart >= 0 && at - runStart > bestLen)
            {
                bestLen = at - runStart;
                best = runStart;
            }
        }
    }
    return best % m_cycle.GetNanoSeconds();
}

void
CellTsn::Start(Time t0)
{
    m_t0 = t0;
    const uint32_t n = m_devices.size();
    const int64_t cycle = m_cycle.GetNanoSeconds();
    m_baseTimeNs = m_desc.tsn.qbv.baseTimeNs;
    if (m_beaconIntervalNs > 0)
    {
        // Target beacon transmission times are k x BeaconInterval in simulation time (no
        // jitter), a whole number of cycles apart: move the base time forward by less than a
        // cycle so that they fall at the start of the AP's longest best-effort stretch.
        const int64_t phase = BeaconPhaseNs();
        m_baseTimeNs += (((-t0.GetNanoSeconds() - m_baseTimeNs - phase) % cycle) + cycle) % cycle;
    }
    m_shapers.assign(n, nullptr);
    m_macQueues.assign(n, {});
    const uint32_t attempts = MaxAttempts();
    for (const auto& dev : m_devices)
    {
        if (!dev)
        {
            continue; // a wired node: no Wi-Fi MAC
        }
        // Every frame gets the streams' budget of transmission attempts (dot11ShortRetryLimit,
        // 802.11-2020 10.23.2.12): the MAC retransmits on its own, outside every gate, so an
        // unscheduled frame that collided just before its gate closed must not retry into a
        // protected window more often than the guard band and the windows were sized for.
        dev->GetMac()->SetAttribute("FrameRetryLimit", UintegerValue(attempts));
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_devices[i])
        {
            continue; // a wired node: its port's shaper is the wired segment's (CellWired)
        }
        auto mac = m_devices[i]->GetMac();
        for (uint8_t ac = 0; ac < 4; ++ac)
        {
            m_macQueues[i][ac] = mac->GetTxopQueue(static_cast<AcIndex>(ac));
        }
        auto shaper = CreateObject<TimeAwareShaper>();
        m_shapers[i] = shaper;
        // The grandmaster's clock reads simulation time (docs/tsn.md), so twin time t is
        // synchronized time t0 + t.
        m_gcls[i]->SetBaseTime(t0 + NanoSeconds(m_baseTimeNs));
        shaper->SetClock(m_clocks[i]);
        shaper->SetGateControlList(m_gcls[i]);
        shaper->SetFrameDurationCallback(TimeAwareShaper::FrameDurationCallback(
            [this, i](Ptr<const Packet> p, uint8_t tc) { return Duration(i, p, tc); }));
        shaper->SetOutputCallback(TimeAwareShaper::OutputCallback(
            [this, i](Ptr<Packet> p, const Address& dest, uint16_t proto, uint8_t tc)
            {
                SocketPriorityTag prio;
                prio.SetPriority(MacUp(tc));
                p->ReplacePacketTag(prio);
                m_devices[i]->Send(p, dest, proto);
            }));
        shaper->SetPortReadyCallback(TimeAwareShaper::PortReadyCallback(
            [this, i](uint8_t tc) { return MacQueueEmpty(i, tc); }));
        shaper->TraceConnectWithoutContext(
            "GateChange",
            Callback<void, uint8_t, uint8_t>([this, i](uint8_t before, uint8_t after)
                                             { OnGateChange(i, before, after); }));
        shaper->TraceConnectWithoutContext("Drop",
                                           Callback<void, Ptr<const Packet>, uint8_t>(
                                               [this](Ptr<const Packet> p, uint8_t)
                                               {
                                                   if (m_drop)
                                                   {
                                                       m_drop(p, false);
                                                   }
                                               }));
        for (const auto& queue : m_macQueues[i])
        {
            const bool connected = queue->TraceConnectWithoutContext(
                "PacketsInQueue",
                Callback<void, uint32_t, uint32_t>(
                    [shaper](uint32_t before, uint32_t now)
                    {
                        if (now < before)
                        {
                            Simulator::ScheduleNow(&TimeAwareShaper::NotifyPortReady, shaper);
                        }
                    }));
            NS_ABORT_MSG_IF(!connected, "CellTsn: no PacketsInQueue trace on the MAC queue");
        }
        shaper->Start();
        InstallGateEnforcer(i);
    }
}

void
CellTsn::InstallGateEnforcer(uint32_t node)
{
    // The gates also hold the MAC's channel access (docs/tsn.md, "Gates at the channel
    // access"): the enforcer follows the shaper's gate changes, after OnGateChange took back the
    // frames the MAC has not started. Aggregated to the node, so Simulator::Destroy disposes it.
    auto enforcer = CreateObject<WifiGateEnforcer>();
    enforcer->SetMac(m_devices[node]->GetMac());
    enforcer->SetPeers(Peers(node));
    for (uint8_t tc = 0; tc < 8; ++tc)
    {
        enforcer->SetTidOfTrafficClass(tc, MacUp(tc));
    }
    m_shapers[node]->TraceConnectWithoutContext(
        "GateChange", MakeCallback(&WifiGateEnforcer::NotifyGateStates, enforcer));
    enforcer->NotifyGateStates(0, m_shapers[node]->GetCurrentGateStates());
    m_devices[node]->GetNode()->AggregateObject(enforcer);
}

void
CellTsn::Prime(uint16_t protocol)
{
    for (const auto& sd : m_desc.tsn.streams)
    {
        const auto& f = m_desc.flows[sd.flow];
        // The Wi-Fi hop of the stream: from a wired talker the AP sends; to a wired listener the
        // frame is addressed to its port (the AP forwards it, no FlowTag: never delivered).
        const bool wiredSrc = m_wired && m_wired->IsWired(f.src);
        const bool wiredDst = m_wired && m_wired->IsWired(f.dst);
        const uint32_t tx = wiredSrc ? m_ap : f.src;
        if ((wiredSrc || tx == m_ap) && (wiredDst || f.dst == m_ap))
        {
            continue; // no Wi-Fi hop
        }
        const Address to =
            wiredDst ? Address(m_wired->GetAddress(f.dst)) : m_devices[f.dst]->GetAddress();
        Ptr<Packet> p = Create<Packet>(f.sizeBytes);
        SocketPriorityTag prio;
        prio.SetPriority(kScheduledUp);
        p->AddPacketTag(prio);
        m_devices[tx]->Send(p, to, protocol);
    }
}

bool
CellTsn::IsStarted() const
{
    return !m_shapers.empty();
}

void
CellTsn::Send(uint32_t node, Ptr<Packet> packet, const Address& dest, uint16_t protocol, uint8_t tc)
{
    if (!IsStarted())
    {
        // Already on the TID it will have once shaped (its Block Ack agreement forms now).
        SocketPriorityTag prio;
        prio.SetPriority(MacUp(tc));
        packet->ReplacePacketTag(prio);
        m_devices[node]->Send(packet, dest, protocol);
        return;
    }
    m_shapers[node]->Enqueue(packet, dest, protocol, tc);
}

uint8_t
CellTsn::FlowTc(uint32_t flow) const
{
    if (flow < m_streamOfFlow.size() && m_streamOfFlow[flow] >= 0)
    {
        return kScheduledTc;
    }
    return TcOfUp(m_desc.flows[flow].tid);
}

uint8_t
CellTsn::PacketTc(Ptr<const Packet> packet) const
{
    FlowTag tag;
    if (packet->PeekPacketTag(tag) && tag.GetFlow() < m_desc.flows.size())
    {
        return FlowTc(tag.GetFlow());
    }
    GptpTag gtag;
    if (packet->PeekPacketTag(gtag))
    {
        return kGptpTc;
    }
    return TcOfUp(0);
}

Time
CellTsn::Duration(uint32_t /* node */, Ptr<const Packet> packet, uint8_t tc) const
{
    uint32_t attempts = 1;
    FlowTag tag;
    if (tc == kScheduledTc && packet->PeekPacketTag(tag) && tag.GetFlow() < m_streamOfFlow.size() &&
        m_streamOfFlow[tag.GetFlow()] >= 0)
    {
        attempts = m_desc.tsn.streams[m_streamOfFlow[tag.GetFlow()]].attempts;
    }
    if (tc != kScheduledTc)
    {
        // Unscheduled frames: the exchange itself. One that has not started when its gate closes
        // is pulled back; one that starts just before overruns by at most an exchange, which the
        // guard band covers.
        return Exchange(packet->GetSize());
    }
    return FrameBudget(packet->GetSize(), kScheduledUp, attempts);
}

bool
CellTsn::MacQueueEmpty(uint32_t node, uint8_t tc) const
{
    // Per TID, not per access category: with the gates enforced at the channel access, a frame
    // of a closed class (e.g. gPTP, TID 6) may wait in the AC_VO queue while the scheduled class
    // (TID 7) is open, and must not hold the scheduled frame back.
    const uint8_t tid = MacUp(tc);
    const auto& queue = m_macQueues[node][QosUtilsMapTidToAc(tid)];
    for (const auto& rx : Peers(node))
    {
        if (queue->GetNPackets({WIFI_QOSDATA_QUEUE, WIFI_UNICAST, rx, tid}) > 0)
        {
            return false;
        }
    }
    return true;
}

std::vector<Mac48Address>
CellTsn::Peers(uint32_t node) const
{
    std::vector<Mac48Address> peers;
    for (uint32_t j = 0; j < m_devices.size(); ++j)
    {
        if (j != node && m_devices[j] && (node == m_ap || j == m_ap))
        {
            peers.push_back(Mac48Address::ConvertFrom(m_devices[j]->GetAddress()));
        }
    }
    return peers;
}

void
CellTsn::OnGateChange(uint32_t node, uint8_t before, uint8_t after)
{
    const uint8_t closed = before & ~after;
    if (closed == 0)
    {
        return;
    }
    const auto own = Mac48Address::ConvertFrom(m_devices[node]->GetAddress());
    const std::vector<Mac48Address> receivers = Peers(node);
    if (closed & (1u << kScheduledTc))
    {
        // Scheduled frames still queued when their window closes wait at least a period: past
        // their MaxLatency they are discarded, so a late frame never delays the ones after it.
        for (const auto& p :
             m_shapers[node]->RemoveIf(kScheduledTc,
                                       Callback<bool, Ptr<const Packet>>([this](Ptr<const Packet> p)
                                                                         { return Expired(p); })))
        {
            if (m_drop)
            {
                m_drop(p, true);
            }
        }
    }
    for (uint8_t tc = 0; tc < 8; ++tc)
    {
        if (!(closed & (1u << tc)))
        {
            continue;
        }
        const uint8_t tid = MacUp(tc);
        auto queue = m_macQueues[node][QosUtilsMapTidToAc(tid)];
        for (const auto& rx : receivers)
        {
            // Frames of the class this node's shaper released (not ones the AP relays) that the
            // MAC has not started: no sequence number yet, so taking them back leaves no hole in
            // a Block Ack window. A frame that has been on the air stays (its retransmission is
            // the MAC's; see docs/tsn.md, limits).
            std::vector<Ptr<WifiMpdu>> back;
            for (auto mpdu = queue->PeekByTidAndAddress(tid, rx); mpdu;
                 mpdu = queue->PeekByTidAndAddress(tid, rx, mpdu))
            {
                const auto& hdr = mpdu->GetHeader();
                const Mac48Address sa = hdr.IsFromDs() ? hdr.GetAddr3() : hdr.GetAddr2();
                if (!mpdu->HasSeqNoAssigned() && !mpdu->IsInFlight() && sa == own)
                {
                    back.push_back(mpdu);
                }
            }
            for (auto it = back.rbegin(); it != back.rend(); ++it)
            {
                const auto& hdr = (*it)->GetHeader();
                const Mac48Address dest = hdr.IsToDs() ? hdr.GetAddr3() : hdr.GetAddr1();
                Ptr<Packet> p = (*it)->GetPacket()->Copy();
                LlcSnapHeader llc;
                p->RemoveHeader(llc);
                queue->Remove(*it);
                NS_LOG_DEBUG("node " << node << " takes back a frame of tc " << +tc);
                if (tc == kScheduledTc && Expired(p))
                {
                    if (m_drop)
                    {
                        m_drop(p, true);
                    }
                    continue;
                }
                m_shapers[node]->Requeue(p, dest, llc.GetType(), tc);
            }
        }
    }
}

bool
CellTsn::Expired(Ptr<const Packet> packet) const
{
    // A scheduled frame that missed its window waits at least one period for the next one: past
    // its MaxLatency it is useless and would delay every later frame of the stream (each window
    // holds one frame), so it is discarded like an MSDU whose lifetime expired.
    FlowTag tag;
    if (!packet->PeekPacketTag(tag) || tag.GetFlow() >= m_streamOfFlow.size() ||
        m_streamOfFlow[tag.GetFlow()] < 0)
    {
        return false;
    }
    const auto& sd = m_desc.tsn.streams[m_streamOfFlow[tag.GetFlow()]];
    const Time nextWindow = Simulator::Now() + NanoSeconds(sd.periodNs);
    return m_t0 + NanoSeconds(tag.GetSendTimeNs() + sd.maxLatencyNs) < nextWindow;
}

void
CellTsn::ApplyGateWindows(const std::vector<twinproto::GateWindowRecord>& records)
{
    if (!IsStarted())
    {
        throw std::invalid_argument("gate window records: the shapers have not started");
    }
    std::map<uint32_t, std::vector<GateWindowDescription>> lists;
    for (std::size_t k = 0; k < records.size(); ++k)
    {
        const auto& r = records[k];
        if (r.node >= m_devices.size())
        {
            throw std::invalid_argument("gate window record " + std::to_string(k) + ": node " +
                                        std::to_string(r.node) + " is not a node; allowed: 0.." +
                                        std::to_string(m_devices.size() - 1));
        }
        if (!m_shapers[r.node])
        {
            throw std::invalid_argument("gate window record " + std::to_string(k) + ": node " +
                                        std::to_string(r.node) +
                                        " is wired; its port's gates come from tsn.streams");
        }
        lists[r.node].push_back(
            GateWindowDescription{r.node, r.gate_mask, r.offset_ns, r.duration_ns});
    }
    std::map<uint32_t, Ptr<GateControlList>> gcls;
    for (const auto& [node, list] : lists)
    {
        gcls[node] = MakeGcl(list, "gate window records of node " + std::to_string(node));
        gcls[node]->SetBaseTime(m_gcls[node]->GetBaseTime());
    }
    for (const auto& [node, gcl] : gcls)
    {
        // From the node's next cycle on, on its own synchronized time.
        auto clock = m_clocks[node];
        const Time s = clock->GetSynchronizedTime();
        const Time base = gcl->GetBaseTime();
        Time next = base;
        if (s >= base)
        {
            next = base + m_cycle * ((s - base).GetNanoSeconds() / m_cycle.GetNanoSeconds() + 1);
        }
        const Time at = std::max(clock->GetSimTimeAtSynchronized(next), Simulator::Now());
        m_gcls[node] = gcl;
        Simulator::Schedule(
            at - Simulator::Now(), &TimeAwareShaper::SetGateControlList, m_shapers[node], gcl);
    }
}

nlohmann::json
CellTsn::Info() const
{
    nlohmann::json j;
    j["cycle_ns"] = m_cycle.GetNanoSeconds();
    j["base_time_ns"] = m_baseTimeNs;
    j["beacon_interval_ns"] = m_beaconIntervalNs;
    j["guard_band_ns"] = m_guardBand.GetNanoSeconds();
    j["sync_error_bound_ns"] = m_desc.tsn.qbv.syncErrorBoundNs;
    nlohmann::json streams = nlohmann::json::object();
    for (const auto& sd : m_desc.tsn.streams)
    {
        const auto& f = m_desc.flows[sd.flow];
        const auto& s = m_configurator->GetSchedule(f.name);
        nlohmann::json windows = nlohmann::json::array();
        for (const auto& w : s.windows)
        {
            windows.push_back({{"node", w.txNode},
                               {"link", w.link},
                               {"open_ns", w.open.GetNanoSeconds()},
                               {"length_ns", w.length.GetNanoSeconds()},
                               {"guard_ns", w.guard.GetNanoSeconds()}});
        }
        streams[f.name] = {{"talker_offset_ns", s.talkerOffset.GetNanoSeconds()},
                           {"latency_bound_ns", s.latencyBound.GetNanoSeconds()},
                           {"period_ns", s.period.GetNanoSeconds()},
                           {"frame_budget_ns",
                            FrameBudget(f.sizeBytes, kScheduledUp, sd.attempts).GetNanoSeconds()},
                           {"windows", windows}};
    }
    j["streams"] = streams;
    nlohmann::json gcls = nlohmann::json::object();
    for (uint32_t i = 0; i < m_gcls.size(); ++i)
    {
        if (!m_gcls[i])
        {
            continue; // a wired node (its port's list is in READY's wired.gcls)
        }
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& e : m_gcls[i]->GetEntries())
        {
            entries.push_back({e.gateStates, e.duration.GetNanoSeconds()});
        }
        gcls[m_desc.nodes[i].name] = entries;
    }
    j["gcls"] = gcls;
    return j;
}

void
CellTsn::SetDropCallback(DropCallback cb)
{
    m_drop = std::move(cb);
}

} // namespace ns3
