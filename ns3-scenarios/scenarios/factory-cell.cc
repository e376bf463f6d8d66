#include "factory-cell.h"

#include "../helper/non-wifi-interferer-helper.h"
#include "../model/flow-tag.h"
#include "../model/gptp-port.h"
#include "../model/gptp-tag.h"
#include "../model/three-gpp-indoor-factory-propagation-loss-model.h"

#include "ns3/ap-wifi-mac.h"
#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/he-configuration.h"
#include "ns3/integer.h"
#include "ns3/log.h"
#include "ns3/mobility-helper.h"
#include "ns3/multi-model-spectrum-channel.h"
#include "ns3/phy-entity.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/queue-size.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/spectrum-wifi-helper.h"
#include "ns3/ssid.h"
#include "ns3/sta-wifi-mac.h"
#include "ns3/string.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-mpdu.h"
#include "ns3/wifi-phy-state-helper.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-psdu.h"
#include "ns3/wifi-remote-station-manager.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FactoryCell");

using namespace twinproto;

namespace
{

/// EtherType carried in the LLC/SNAP header of twin packets (IEEE 802 local experimental 1).
constexpr uint16_t kTwinEtherType = 0x88B5;
/// EtherType of gPTP frames (IEEE 802.1AS-2020 11.3.4: 0x88F7).
constexpr uint16_t kGptpEtherType = 0x88F7;
/// 802.1D user priority of gPTP frames: 6 = TID 6 = AC_VO.
constexpr uint8_t kGptpPriority = 6;
/// Upper bound on the association warm-up before twin time 0.
const Time kMaxWarmupBase = Seconds(5);
/// Extra warm-up allowed per station (association of many stations collides).
const Time kMaxWarmupPerStation = MilliSeconds(40);
/// Association request retry timeout. ns-3's 500 ms default makes a crowded cell, whose
/// requests collide, take seconds of simulated time (and minutes of wall time) to associate.
const Time kAssocRequestTimeout = MilliSeconds(50);
/// Upper bound on the time-sync warm-up (after association) until every node applied a Sync.
const Time kMaxSyncWarmup = Seconds(10);
/// Warm-up polling interval.
const Time kWarmupPoll = MilliSeconds(2);

std::string
BandToken(const std::string& band)
{
    if (band == "2.4GHz")
    {
        return "BAND_2_4GHZ";
    }
    if (band == "6GHz")
    {
        return "BAND_6GHZ";
    }
    return "BAND_5GHZ";
}

DropReason
FromWifiDropReason(WifiMacDropReason r)
{
    switch (r)
    {
        case WIFI_MAC_DROP_FAILED_ENQUEUE:
            return DropReason::QUEUE_OVERFLOW;
        case WIFI_MAC_DROP_EXPIRED_LIFETIME:
            return DropReason::LIFETIME_EXPIRED;
        case WIFI_MAC_DROP_REACHED_RETRY_LIMIT:
            return DropReason::RETRY_LIMIT;
        case WIFI_MAC_DROP_QOS_OLD_PACKET:
            return DropReason::QOS_OLD_PACKET;
    }
    return DropReason::UNKNOWN;
}

/**
 * Reads the MAC header of a frame seen by a monitor trace. Frames inside an A-MPDU (every HE PSDU
 * is one, IEEE 802.11ax-2021 26.6.3.1) start with a 4-byte A-MPDU subframe header.
 */
bool
PeekMacHeader(Ptr<const Packet> packet, const MpduInfo& aMpdu, WifiMacHeader& hdr)
{
    if (aMpdu.type == NORMAL_MPDU)
    {
        return packet->PeekHeader(hdr) > 0;
    }
    if (packet->GetSize() <= 4)
    {
        return false;
    }
    return packet->CreateFragment(4, packet->GetSize() - 4)->PeekHeader(hdr) > 0;
}

} // namespace

FactoryCell::FactoryCell(CellDescription desc)
    : m_desc(std::move(desc))
{
}

void
FactoryCell::Build()
{
    auto wallStart = std::chrono::steady_clock::now();
    // Same seed => same run, in a fresh process or after an in-process reset.
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(m_desc.seed);
    RngSeedManager::ResetNextStreamIndex();

    const auto& w = m_desc.wifi;
    Config::SetDefault("ns3::WifiMacQueue::MaxSize",
                       QueueSizeValue(QueueSize(std::to_string(w.maxQueuePackets) + "p")));
    Config::SetDefault("ns3::WifiMacQueue::MaxDelay", TimeValue(MilliSeconds(w.msduLifetimeMs)));
    Config::SetDefault("ns3::StaWifiMac::AssocRequestTimeout", TimeValue(kAssocRequestTimeout));

    uint32_t n = m_desc.nodes.size();
    m_nodes.Create(n);
    m_counters.assign(n, NodeCounters{});
    for (uint32_t i = 0; i < n; ++i)
    {
        if (m_desc.nodes[i].role == "ap")
        {
            m_ap = i;
        }
    }

    auto channel = CreateObject<MultiModelSpectrumChannel>();
    m_channel = channel;
    const auto& ch = m_desc.channel;
    Ptr<PropagationLossModel> loss;
    if (ch.model == "inf")
    {
        auto inf = CreateObject<ThreeGppIndoorFactoryPropagationLossModel>();
        inf->SetAttribute("SubScenario", StringValue(ch.subScenario));
        inf->SetAttribute("ClutterDensity", DoubleValue(ch.clutterDensity));
        inf->SetAttribute("ClutterHeight", DoubleValue(ch.clutterHeightM));
        inf->SetAttribute("ClutterSize", DoubleValue(ch.clutterSizeM));
        inf->SetAttribute("ShadowingEnabled", BooleanValue(ch.shadowing));
        inf->GetChannelConditionModel()->SetAttribute("UpdatePeriod",
                                                      TimeValue(Seconds(ch.losUpdatePeriodS)));
        m_inf = inf;
        loss = inf;
    }
    else
    {
        loss = CreateObject<LogDistancePropagationLossModel>();
        loss->SetAttribute("Exponent", DoubleValue(ch.exponent));
        loss->SetAttribute("ReferenceDistance", DoubleValue(ch.referenceDistanceM));
        loss->SetAttribute("ReferenceLoss", DoubleValue(ch.referenceLossDb));
    }
    channel->AddPropagationLossModel(loss);
    channel->SetPropagationDelayModel(CreateObject<ConstantSpeedPropagationDelayModel>());

    SpectrumWifiPhyHelper phy;
    phy.SetChannel(channel);
    phy.Set("ChannelSettings",
            StringValue("{" + std::to_string(w.channelNumber) + ", " +
                        std::to_string(w.channelWidthMhz) + ", " + BandToken(w.band) + ", 0}"));
    phy.Set("TxPowerStart", DoubleValue(w.txPowerDbm));
    phy.Set("TxPowerEnd", DoubleValue(w.txPowerDbm));

    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211ax);
    if (w.rateManager == "constant")
    {
        wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                     "DataMode",
                                     StringValue("HeMcs" + std::to_string(w.mcs)));
    }
    else if (w.rateManager == "minstrel_ht")
    {
        wifi.SetRemoteStationManager("ns3::MinstrelHtWifiManager");
    }
    else if (w.rateManager == "thompson_sampling")
    {
        wifi.SetRemoteStationManager("ns3::ThompsonSamplingWifiManager");
    }
    else
    {
        wifi.SetRemoteStationManager("ns3::IdealWifiManager");
    }

    Ssid ssid("fabtwin");
    WifiMacHelper mac;
    m_devices.assign(n, nullptr);
    NetDeviceContainer all;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_desc.HasWifi(i))
        {
            continue; // NR only (cell-nr.cc)
        }
        bool isAp = (i == m_ap);
        mac.SetType(isAp ? "ns3::ApWifiMac" : "ns3::StaWifiMac", "Ssid", SsidValue(ssid));
        NetDeviceContainer d = wifi.Install(phy, mac, m_nodes.Get(i));
        m_devices[i] = DynamicCast<WifiNetDevice>(d.Get(0));
        m_devices[i]->GetHeConfiguration()->SetGuardInterval(NanoSeconds(w.guardIntervalNs));
        all.Add(d);
    }
    InstallOfdma();
    int64_t stream = wifi.AssignStreams(all, 0);
    // The Wi-Fi channel's centre frequency is the default carrier of the InF model and of the
    // interferers.
    m_wifiCenterHz = m_devices[m_ap]->GetPhy()->GetFrequency() * 1e6;
    if (m_inf)
    {
        m_inf->SetAttribute("Frequency",
                            DoubleValue(ch.frequencyHz > 0 ? ch.frequencyHz : m_wifiCenterHz));
        stream += m_inf->AssignStreams(stream);
    }
    m_nextStream = stream;

    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(m_nodes);
    for (uint32_t i = 0; i < n; ++i)
    {
        const auto& p = m_desc.nodes[i].positionM;
        m_nodes.Get(i)->GetObject<MobilityModel>()->SetPosition(Vector(p[0], p[1], p[2]));
    }

    // Looked up once: the per-step statistics touch every node (a map lookup per AC otherwise).
    m_staMacs.assign(n, nullptr);
    m_queues.assign(n, {});
    m_addBaGuard = CreateObject<AddBaPendingGuard>();
    m_addBaGuard->TraceConnectWithoutContext(
        "Released",
        MakeCallback(+[](Mac48Address originator, Mac48Address recipient, uint8_t tid)
                     {
                         std::cerr << twinproto::kNoticePrefix << Simulator::Now().As(Time::MS)
                                   << ": " << originator << " had its Block Ack agreement with "
                                   << recipient << " (TID " << +tid
                                   << ") pending past AddBaPendingGuard::MaxPending; released as "
                                      "unanswered (docs/wifi.md)\n";
                     }));
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_devices[i])
        {
            continue;
        }
        auto mac = m_devices[i]->GetMac();
        m_addBaGuard->Install(mac);
        m_staMacs[i] = DynamicCast<StaWifiMac>(mac);
        m_queues[i] = {mac->GetTxopQueue(AC_BE),
                       mac->GetTxopQueue(AC_BK),
                       mac->GetTxopQueue(AC_VI),
                       mac->GetTxopQueue(AC_VO)};
    }

    m_hops.clear();
    for (const auto& f : m_desc.flows)
    {
        m_hops.push_back((f.src != m_ap && f.dst != m_ap) ? 2 : 1);
    }

    const auto& sync = m_desc.tsn.sync;
    m_phyTimestamps = m_desc.tsn.present && sync.enabled && sync.timestamps == "phy";
    for (uint32_t i = 0; i < n; ++i)
    {
        auto dev = m_devices[i];
        if (!dev)
        {
            continue;
        }
        dev->SetReceiveCallback(NetDevice::ReceiveCallback(
            [this, i](Ptr<NetDevice>, Ptr<const Packet> p, uint16_t proto, const Address& from)
            { return OnReceive(i, p, proto, from); }));
        // Link statistics from one callback per PPDU and receiver: the monitor (sniffer) traces
        // would make ns-3 copy every MPDU of every PPDU at every receiver. They are connected
        // only where gPTP takes its PHY timestamps from them (docs/wifi.md, benchmark).
        dev->GetPhy()->GetState()->TraceConnectWithoutContext(
            "RxOutcome", MakeCallback(&FactoryCell::OnPpduRx, this).Bind(i));
        if (m_phyTimestamps)
        {
            dev->GetPhy()->TraceConnectWithoutContext(
                "MonitorSnifferRx", MakeCallback(&FactoryCell::OnSnifferRx, this).Bind(i));
            dev->GetPhy()->TraceConnectWithoutContext(
                "MonitorSnifferTx", MakeCallback(&FactoryCell::OnSnifferTx, this).Bind(i));
            dev->GetPhy()->TraceConnectWithoutContext(
                "PhyRxPayloadBegin",
                Callback<void, WifiTxVector, Time>([this, i](WifiTxVector, Time)
                                                   { m_rxPayloadBegin[i] = Simulator::Now(); }));
        }
        dev->GetMac()->TraceConnectWithoutContext(
            "DroppedMpdu",
            Callback<void, WifiMacDropReason, Ptr<const WifiMpdu>>(
                [this](WifiMacDropReason r, Ptr<const WifiMpdu> m) { OnDroppedMpdu(r, m); }));
        dev->GetRemoteStationManager()->TraceConnectWithoutContext(
            "MacTxDataFailed",
            Callback<void, Mac48Address>([this, i](Mac48Address) { m_counters[i].txFailures++; }));
        dev->GetPhy()->TraceConnectWithoutContext(
            "PhyTxPsduBegin",
            Callback<void, WifiConstPsduMap, WifiTxVector, double>(
                [this, i](WifiConstPsduMap psdus, WifiTxVector tx, double)
                { OnPsduTx(i, psdus, tx); }));
        for (std::size_t ac = 0; ac < m_queues[i].size(); ++ac) // AcIndex order
        {
            m_queues[i][ac]->TraceConnectWithoutContext(
                "Enqueue",
                Callback<void, Ptr<const WifiMpdu>>([this, i, ac](Ptr<const WifiMpdu> m)
                                                    { OnEnqueue(i, ac, m); }));
        }
    }
    m_rxPayloadBegin.assign(n, Time(0));
    m_split.Reset(n, m_desc.flows.size(), true);
    if (m_desc.wired.present)
    {
        // Before the warm-up, so an infeasible wired stream set fails at once (cell-wired.cc).
        m_wired = std::make_unique<CellWired>(m_desc, m_nodes, m_ap);
        m_wired->Install(
            m_devices,
            [this](uint32_t node, Ptr<const Packet> p, uint16_t proto, const Address& from)
            { OnReceive(node, p, proto, from); },
            [this](Ptr<const Packet> p)
            {
                FlowTag tag;
                if (p->PeekPacketTag(tag) && tag.GetFlow() < m_desc.flows.size())
                {
                    RecordDrop(tag.GetFlow(), tag.GetSeq(), DropReason::QUEUE_OVERFLOW);
                }
            });
    }
    InstallClocks();
    if (m_desc.tsn.qbv.enabled)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            if (!m_devices[i] && !m_desc.IsWired(i))
            {
                throw std::invalid_argument(
                    "tsn.qbv: not supported in a cell with NR-only nodes (" + m_desc.nodes[i].name +
                    " has radio nr)");
            }
        }
        // Before the warm-up, so an infeasible stream set fails at once (docs/tsn.md).
        m_tsn = std::make_unique<CellTsn>(m_desc, m_devices, m_clocks, m_ap);
        if (m_wired)
        {
            // Hybrid: one schedule over the bridge and the BSS; frames from the wire enter the
            // BSS through the AP's shaper (docs/tsn.md, "Hybrid wired/wireless TSN").
            m_tsn->SetWired(m_wired.get());
            m_wired->SetBssSendCallback(
                [this](Ptr<Packet> p, Mac48Address dst, uint16_t proto)
                {
                    FlowTag tag;
                    const bool flow = p->PeekPacketTag(tag) && tag.GetFlow() < m_desc.flows.size();
                    m_tsn->Send(m_ap, p, dst, proto, flow ? m_tsn->FlowTc(tag.GetFlow()) : 1);
                });
        }
        m_tsn->Configure();
        m_tsn->SetDropCallback(
            [this](Ptr<const Packet> p, bool expired)
            {
                FlowTag tag;
                if (p->PeekPacketTag(tag) && tag.GetFlow() < m_desc.flows.size())
                {
                    RecordDrop(tag.GetFlow(),
                               tag.GetSeq(),
                               expired ? DropReason::LIFETIME_EXPIRED : DropReason::QUEUE_OVERFLOW);
                }
            });
    }
    // OBSS devices associate during the warm-up; their traffic starts after it.
    m_obss = BuildObss(m_desc.obss, m_channel, m_desc.wifi, m_nextStream);

    // Warm-up: association is not part of the twin's timeline.
    const Time maxWarmup = kMaxWarmupBase + kMaxWarmupPerStation * static_cast<int64_t>(n);
    while (Simulator::Now() < maxWarmup)
    {
        bool allAssociated = true;
        for (uint32_t i = 0; i < n; ++i)
        {
            allAssociated = allAssociated && IsAssociated(i);
        }
        allAssociated = allAssociated && UnassociatedObss(m_obss).empty();
        if (allAssociated)
        {
            break;
        }
        Simulator::Stop(kWarmupPoll);
        Simulator::Run();
    }
    std::string missing;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!IsAssociated(i))
        {
            missing += (missing.empty() ? "" : ", ") + m_desc.nodes[i].name;
        }
    }
    const std::string obssMissing = UnassociatedObss(m_obss);
    missing += (missing.empty() || obssMissing.empty() ? "" : ", ") + obssMissing;
    if (!missing.empty())
    {
        throw std::runtime_error("stations not associated after " +
                                 std::to_string(maxWarmup.GetSeconds()) +
                                 " s of warm-up (out of range of the AP?): " + missing);
    }
    // Time sync starts right after association and the warm-up goes on until every node has
    // applied one Sync, so that twin time 0 sees synchronized clocks.
    WarmUpOfdma();
    const Time associated = Simulator::Now();
    if (m_desc.tsn.sync.enabled)
    {
        StartTimeSync();
        if (m_tsn)
        {
            m_tsn->Prime(kTwinEtherType);
        }
        auto allSynced = [this]()
        {
            for (uint32_t i = 0; i < m_gptp.size(); ++i)
            {
                if (i != m_grandmaster && m_gptp[i]->GetSyncCount() == 0)
                {
                    return false;
                }
            }
            return true;
        };
        while (!allSynced() && Simulator::Now() - associated < kMaxSyncWarmup)
        {
            Simulator::Stop(kWarmupPoll);
            Simulator::Run();
        }
        if (!allSynced())
        {
            std::string unsynced;
            for (uint32_t i = 0; i < m_gptp.size(); ++i)
            {
                if (i != m_grandmaster && m_gptp[i]->GetSyncCount() == 0)
                {
                    unsynced += (unsynced.empty() ? "" : ", ") + m_desc.nodes[i].name;
                }
            }
            throw std::runtime_error("tsn.sync: no Sync applied after " +
                                     std::to_string(kMaxSyncWarmup.GetSeconds()) +
                                     " s of time-sync warm-up: " + unsynced);
        }
    }
    m_syncWarmup = Simulator::Now() - associated;
    InstallNr();
    m_t0 = Simulator::Now();
    if (m_tsn)
    {
        m_tsn->Start(m_t0);
    }
    if (m_wired)
    {
        m_wired->Start(m_t0, m_tsn ? m_tsn->GetBaseTimeNs() : 0);
    }
    if (m_desc.reportTransmissions)
    {
        m_recorder = std::make_unique<TransmissionRecorder>(m_devices, m_desc.flows.size());
        m_recorder->Start(m_t0);
    }
    m_lastStats = m_t0;
    m_busyTrackers.clear();
    for (uint32_t i = 0; i < n; ++i)
    {
        // Nodes without Wi-Fi (NR only) have no tracker and report a NaN busy fraction.
        m_busyTrackers.push_back(m_devices[i] ? PhyBusyTracker::Install(m_devices[i]->GetPhy())
                                              : nullptr);
    }
    InstallInterferers();
    for (auto& bss : m_obss)
    {
        bss->StartTraffic(m_t0);
    }
    m_counters.assign(n, NodeCounters{});
    m_enqueuedByAc = {};
    m_pending = StepReport{};
    m_buildWallMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wallStart)
            .count();
}

void
FactoryCell::InstallClocks()
{
    m_clocks.clear();
    m_gptp.clear();
    const auto& tsn = m_desc.tsn;
    if (!tsn.present)
    {
        return;
    }
    const auto& sd = tsn.sync;
    uint32_t n = m_nodes.GetN();
    m_grandmaster = m_ap;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!sd.grandmaster.empty() && m_desc.nodes[i].name == sd.grandmaster)
        {
            m_grandmaster = i;
        }
    }
    std::ostringstream ppm;
    ppm << "ns3::UniformRandomVariable[Min=" << -sd.ppmMax << "|Max=" << sd.ppmMax << "]";
    for (uint32_t i = 0; i < n; ++i)
    {
        auto clock = CreateObject<LocalClock>();
        clock->SetAttribute("FrequencyOffset", StringValue(ppm.str()));
        if (i == m_grandmaster && (tsn.qbv.enabled || m_desc.wired.qbv.enabled))
        {
            // With 802.1Qbv the twin's time is the TSN domain's time: the grandmaster is ideal
            // (GNSS-disciplined), so schedules in twin time and on the clocks agree (docs/tsn.md).
            clock->SetAttribute("FrequencyOffset",
                                StringValue("ns3::ConstantRandomVariable[Constant=0]"));
            clock->SetAttribute("WanderInterval", TimeValue(Time(0)));
        }
        clock->SetAttribute("Granularity", TimeValue(NanoSeconds(sd.granularityNs)));
        m_nextStream += clock->AssignStreams(m_nextStream);
        auto gptp = CreateObject<GptpInstance>();
        gptp->SetAttribute("Grandmaster", BooleanValue(i == m_grandmaster));
        gptp->SetClock(clock);
        // Aggregated so that Simulator::Destroy (via the node list) disposes them.
        m_nodes.Get(i)->AggregateObject(clock);
        m_nodes.Get(i)->AggregateObject(gptp);
        m_clocks.push_back(clock);
        m_gptp.push_back(gptp);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        m_gptp[i]->SetGrandmasterClock(m_clocks[m_grandmaster]);
    }
    if (m_wired)
    {
        // The bridge's own clock and PTP Instance (cell-wired.cc).
        m_nextStream += m_wired->InstallClocks(m_clocks, m_gptp, m_grandmaster, m_nextStream);
    }
}

void
FactoryCell::StartTimeSync()
{
    const auto& sd = m_desc.tsn.sync;
    auto makePort = [this, &sd](uint32_t node, uint32_t peer, bool master)
    {
        auto port = CreateObject<GptpPort>();
        port->SetAttribute("Role", EnumValue(master ? GptpPort::MASTER : GptpPort::SLAVE));
        port->SetAttribute("LogSyncInterval", IntegerValue(sd.logSyncInterval));
        // On Wi-Fi a MAC retransmission can still update the egress timestamp (docs/tsn.md);
        // with gates a retransmission may wait for its gate to reopen, so the Follow_Up waits for
        // the whole retry span (else it carries the failed attempt's egress time and the slave
        // steps its clock by the wait: -3.2 ms seen in a 4 ms-cycle workcell).
        const Time followUpDelay =
            m_tsn ? Max(MilliSeconds(2), m_tsn->GetRetrySpan() + MilliSeconds(1)) : MilliSeconds(2);
        port->SetAttribute("FollowUpDelay", TimeValue(followUpDelay));
        port->SetAttribute("SoftwareTimestamps", BooleanValue(sd.timestamps == "software"));
        port->SetPeerAddress(m_devices[peer]->GetAddress());
        port->SetSendCallback(GptpPort::SendCallback(
            [this, node](Ptr<Packet> p, const Address& dest)
            {
                SocketPriorityTag prio; // VO, like the twin's control flows
                prio.SetPriority(kGptpPriority);
                p->ReplacePacketTag(prio);
                if (m_tsn)
                {
                    m_tsn->Send(node, p, dest, kGptpEtherType, kGptpPriority);
                    return;
                }
                m_devices[node]->Send(p, dest, kGptpEtherType);
            }));
        return port;
    };
    const auto wired = [this](uint32_t i) { return m_wired && m_wired->IsWired(i); };
    if (m_wired && wired(m_grandmaster))
    {
        m_wired->StartTimeSync(); // the AP's slave port is its Ethernet port: first
    }
    for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
    {
        if (i == m_ap || wired(i))
        {
            continue; // wired nodes: gPTP over Ethernet (cell-wired.cc)
        }
        // The station side: master if the station is the grandmaster, else slave.
        m_gptp[i]->AddPort(makePort(i, m_ap, i == m_grandmaster));
    }
    // The AP: one port per station; a slave port towards a station grandmaster comes first.
    if (m_grandmaster != m_ap && !wired(m_grandmaster))
    {
        m_gptp[m_ap]->AddPort(makePort(m_ap, m_grandmaster, false));
    }
    for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
    {
        if (i != m_ap && i != m_grandmaster && !wired(i))
        {
            m_gptp[m_ap]->AddPort(makePort(m_ap, i, true));
        }
    }
    if (m_wired && !wired(m_grandmaster))
    {
        m_wired->StartTimeSync();
    }
    for (auto& g : m_gptp)
    {
        g->Start();
    }
}

void
FactoryCell::InstallInterferers()
{
    // Installed after the warm-up so that they start on the twin's clock (start_s after t0).
    for (const auto& x : m_desc.interferers)
    {
        NonWifiInterfererHelper helper;
        helper.SetChannel(m_channel);
        double fc = x.centerFrequencyHz > 0 ? x.centerFrequencyHz : m_wifiCenterHz;
        if (x.kind == "duty_cycled")
        {
            helper.SetInterferer("ns3::DutyCycledInterferer",
                                 "Period",
                                 TimeValue(Seconds(x.periodS)),
                                 "DutyCycle",
                                 DoubleValue(x.dutyCycle),
                                 "Bandwidth",
                                 DoubleValue(x.bandwidthHz));
        }
        else if (x.kind == "bursty")
        {
            auto exp = [](double mean) {
                return StringValue("ns3::ExponentialRandomVariable[Mean=" + std::to_string(mean) +
                                   "]");
            };
            helper.SetInterferer("ns3::BurstyInterferer",
                                 "OnTime",
                                 exp(x.onMeanS),
                                 "OffTime",
                                 exp(x.offMeanS),
                                 "Bandwidth",
                                 DoubleValue(x.bandwidthHz));
        }
        else
        {
            helper.SetInterferer("ns3::NarrowbandInterferer");
            helper.SetInterfererAttribute("Bandwidth", DoubleValue(x.bandwidthHz));
        }
        helper.SetInterfererAttribute("TxPowerDbm", DoubleValue(x.powerDbm));
        helper.SetInterfererAttribute("CenterFrequency", DoubleValue(fc));
        helper.SetStartTime(m_t0 + Seconds(x.startS));
        auto interferer = helper.InstallAt(Vector(x.positionM[0], x.positionM[1], x.positionM[2]));
        m_nextStream += NonWifiInterfererHelper::AssignStreams(interferer, m_nextStream);
    }
}

std::string
FactoryCell::InfoJson() const
{
    nlohmann::json j;
    j["protocol_version"] = kVersion;
    j["ns3_version"] = "3.44";
    j["warmup_ns"] = m_t0.GetNanoSeconds();
    j["sync_warmup_ns"] = m_syncWarmup.GetNanoSeconds();
    j["build_wall_ms"] = m_buildWallMs;
    j["seed"] = m_desc.seed;
    nlohmann::json nodes = nlohmann::json::array();
    for (uint32_t i = 0; i < m_desc.nodes.size(); ++i)
    {
        std::ostringstream mac;
        if (m_devices[i])
        {
            mac << m_devices[i]->GetMac()->GetAddress();
        }
        else if (m_wired && m_wired->IsWired(i))
        {
            mac << m_wired->GetAddress(i);
        }
        else
        {
            mac << Mac48Address::ConvertFrom(m_nr->GetAddress(i));
        }
        nodes.push_back({{"name", m_desc.nodes[i].name}, {"mac", mac.str()}});
    }
    j["nodes"] = nodes;
    if (m_tsn)
    {
        j["tsn"] = m_tsn->Info();
    }
    if (m_wired)
    {
        j["wired"] = m_wired->Info();
    }
    return j.dump();
}

const std::array<uint64_t, 4>&
FactoryCell::EnqueuedByAc() const
{
    return m_enqueuedByAc;
}

int64_t
FactoryCell::NowNs() const
{
    return (Simulator::Now() - m_t0).GetNanoSeconds();
}

bool
FactoryCell::IsAssociated(uint32_t node) const
{
    if (node == m_ap || !m_desc.HasWifi(node))
    {
        return true;
    }
    if (node < m_staMacs.size())
    {
        return m_staMacs[node] && m_staMacs[node]->IsAssociated();
    }
    auto sta = DynamicCast<StaWifiMac>(m_devices[node]->GetMac());
    return sta && sta->IsAssociated();
}

StepReport
FactoryCell::Advance(int64_t untilNs, const StepRequest& req)
{
    const auto& positions = req.positions;
    const auto& txs = req.txs;
    int64_t now = NowNs();
    if (untilNs < now)
    {
        throw std::invalid_argument("ADVANCE until " + std::to_string(untilNs) +
                                    " ns is before the current time " + std::to_string(now) +
                                    " ns");
    }
    for (const auto& p : positions)
    {
        if (p.node >= m_nodes.GetN())
        {
            throw std::invalid_argument("position for node " + std::to_string(p.node) +
                                        ": the cell has nodes 0.." +
                                        std::to_string(m_nodes.GetN() - 1));
        }
    }
    for (const auto& t : txs)
    {
        if (t.flow >= m_desc.flows.size())
        {
            throw std::invalid_argument("tx request for flow " + std::to_string(t.flow) +
                                        ": the cell has " + std::to_string(m_desc.flows.size()) +
                                        " flows");
        }
        if (t.send_time_ns < now || t.send_time_ns > untilNs)
        {
            throw std::invalid_argument("tx request (flow " + std::to_string(t.flow) + ", seq " +
                                        std::to_string(t.seq) + ") send_time_ns " +
                                        std::to_string(t.send_time_ns) + " is outside the step [" +
                                        std::to_string(now) + ", " + std::to_string(untilNs) + "]");
        }
        if (t.size_bytes == 0 || t.size_bytes > 2296)
        {
            throw std::invalid_argument("tx request size_bytes " + std::to_string(t.size_bytes) +
                                        ": allowed 1..2296");
        }
    }
    // Records naming NR UEs go to the gNB (cell-nr.cc), the others to the Wi-Fi AP's OFDMA
    // scheduler; a clear record reaches both.
    std::vector<MuScheduleRecord> nrSchedule;
    std::vector<MuScheduleRecord> wifiSchedule;
    for (const auto& r : req.muSchedule)
    {
        const bool clear = r.node == kMuClear;
        const bool nrUe = m_nr && !clear && m_nr->IsUe(r.node);
        if (m_nr && (clear || nrUe))
        {
            nrSchedule.push_back(r);
        }
        if (!nrUe && (!clear || !m_nr || m_muScheduler))
        {
            wifiSchedule.push_back(r);
        }
    }
    auto muSchedule = CheckMuSchedule(wifiSchedule);
    if (!req.gateWindows.empty())
    {
        if (!m_tsn)
        {
            throw std::invalid_argument(
                "gate window records: this cell has no 802.1Qbv shaper (tsn.qbv.enabled is "
                "false)");
        }
        m_tsn->ApplyGateWindows(req.gateWindows);
    }
    if (muSchedule)
    {
        m_muScheduler->SetSchedule(std::move(muSchedule->first), std::move(muSchedule->second));
    }
    if (!nrSchedule.empty())
    {
        m_nr->ApplySchedule(nrSchedule);
    }
    for (const auto& p : positions)
    {
        m_nodes.Get(p.node)->GetObject<MobilityModel>()->SetPosition(Vector(p.x_m, p.y_m, p.z_m));
    }
    for (const auto& t : txs)
    {
        Simulator::Schedule(NanoSeconds(t.send_time_ns - now), &FactoryCell::Inject, this, t);
    }
    Simulator::Stop(NanoSeconds(untilNs - now));
    Simulator::Run();

    StepReport out = std::move(m_pending);
    m_pending = StepReport{};
    out.nowNs = NowNs();
    out.linkStats = CollectLinkStats();
    if (m_recorder)
    {
        out.transmissions = m_recorder->Collect(Simulator::Now());
    }
    return out;
}

void
FactoryCell::ScheduleOwnTraffic(int64_t untilNs)
{
    // Standalone sequence numbers count per flow.
    m_split.Reset(m_nodes.GetN(), m_desc.flows.size(), false);
    for (uint32_t f = 0; f < m_desc.flows.size(); ++f)
    {
        const auto& fd = m_desc.flows[f];
        if (fd.periodNs <= 0)
        {
            continue;
        }
        // One pending event per flow that reschedules itself keeps the event queue as small as
        // in lockstep mode, so the standalone run is a fair baseline.
        struct Generator
        {
            static void Next(FactoryCell* cell, uint32_t flow, uint32_t seq, int64_t untilNs)
            {
                const auto& d = cell->m_desc.flows[flow];
                int64_t t = d.startNs + static_cast<int64_t>(seq) * d.periodNs;
                TxRequestRecord rec{};
                rec.send_time_ns = t;
                rec.flow = flow;
                rec.seq = seq;
                rec.size_bytes = d.sizeBytes;
                cell->Inject(rec);
                if (t + d.periodNs < untilNs)
                {
                    Simulator::Schedule(
                        NanoSeconds(d.periodNs), &Next, cell, flow, seq + 1, untilNs);
                }
            }
        };
        if (fd.startNs < untilNs)
        {
            Simulator::Schedule(
                NanoSeconds(fd.startNs - NowNs()), &Generator::Next, this, f, 0u, untilNs);
        }
    }
}

void
FactoryCell::Inject(TxRequestRecord rec)
{
    const auto& f = m_desc.flows[rec.flow];
    if (f.radio == "both")
    {
        m_frer.Sent(rec.flow, rec.seq, 2); // one copy per radio, same (flow, seq)
    }
    if (f.radio != "wifi")
    {
        Ptr<Packet> copy = Create<Packet>(rec.size_bytes);
        copy->AddPacketTag(FlowTag(rec.flow, rec.seq, rec.send_time_ns));
        m_nr->Send(f, copy, kTwinEtherType); // a drop comes back through RecordDrop
        if (f.radio == "nr")
        {
            return;
        }
    }
    if (!IsAssociated(f.src) || !IsAssociated(f.dst))
    {
        RecordDrop(rec.flow, rec.seq, DropReason::NOT_ASSOCIATED);
        return;
    }
    Ptr<Packet> p = Create<Packet>(rec.size_bytes);
    p->AddPacketTag(FlowTag(rec.flow, rec.seq, rec.send_time_ns));
    SocketPriorityTag prio; // WifiMac maps the priority to the TID, hence the access category
    prio.SetPriority(f.tid);
    p->AddPacketTag(prio);
    if (m_wired && (m_wired->IsWired(f.src) || m_wired->IsWired(f.dst)))
    {
        // Through the bridge (cell-wired.cc); a station reaches a wired node through the AP.
        const Mac48Address dst = m_wired->IsWired(f.dst)
                                     ? m_wired->GetAddress(f.dst)
                                     : Mac48Address::ConvertFrom(m_devices[f.dst]->GetAddress());
        if (m_wired->IsWired(f.src) || f.src == m_ap)
        {
            m_wired->Send(f.src, p, dst, kTwinEtherType);
        }
        else if (m_tsn)
        {
            m_tsn->Send(f.src, p, dst, kTwinEtherType, m_tsn->FlowTc(rec.flow)); // hybrid
        }
        else
        {
            m_devices[f.src]->Send(p, dst, kTwinEtherType);
        }
        return;
    }
    if (m_tsn)
    {
        m_tsn->Send(
            f.src, p, m_devices[f.dst]->GetAddress(), kTwinEtherType, m_tsn->FlowTc(rec.flow));
        return;
    }
    m_devices[f.src]->Send(p, m_devices[f.dst]->GetAddress(), kTwinEtherType);
}

bool
FactoryCell::OnReceive(uint32_t node,
                       Ptr<const Packet> packet,
                       uint16_t protocol,
                       const Address& from)
{
    if (protocol == kGptpEtherType)
    {
        if (m_desc.tsn.sync.enabled && node < m_gptp.size())
        {
            m_gptp[node]->Receive(packet, from);
        }
        return true;
    }
    FlowTag tag;
    if (!packet->PeekPacketTag(tag) || tag.GetFlow() >= m_desc.flows.size() ||
        m_desc.flows[tag.GetFlow()].dst != node)
    {
        return true;
    }
    DeliveryRecord d{};
    d.rx_time_ns = NowNs();
    d.send_time_ns = tag.GetSendTimeNs();
    d.flow = tag.GetFlow();
    d.seq = tag.GetSeq();
    d.sinr_db = m_counters[node].lastRxSinrDb;
    d.mcs = m_counters[node].lastRxMcs;
    d.hops = m_hops[tag.GetFlow()];
    if (auto split = m_split.Take(d.flow, d.seq))
    {
        d.queue_ns = split->queueNs;
        d.access_ns = split->accessNs;
        d.air_ns = split->airNs;
        d.retries = static_cast<uint8_t>(std::min<uint32_t>(split->retries, 255));
    }
    else
    {
        d.queue_ns = d.access_ns = d.air_ns = -1;
        d.retries = 0;
    }
    d.radio = static_cast<uint8_t>(Radio::WIFI);
    if (m_wired)
    {
        m_wired->Annotate(d); // radio, hops and SINR of paths through the bridge
    }
    DeliverCopy(d);
    return true;
}

void
FactoryCell::OnSnifferRx(uint32_t node,
                         Ptr<const Packet> packet,
                         uint16_t /* channelFreqMhz */,
                         WifiTxVector /* txVector */,
                         MpduInfo aMpdu,
                         SignalNoiseDbm /* signalNoise */,
                         uint16_t /* staId */)
{
    WifiMacHeader hdr;
    GptpTag gtag;
    if (PeekMacHeader(packet, aMpdu, hdr) && hdr.IsData() &&
        hdr.GetAddr1() == m_devices[node]->GetMac()->GetAddress() && packet->PeekPacketTag(gtag))
    {
        // Reference point: the start of the PPDU's payload (the preamble is the same both ways).
        m_gptp[node]->NotifyReceived(packet, Simulator::Now() - m_rxPayloadBegin[node]);
    }
}

void
FactoryCell::OnSnifferTx(uint32_t node,
                         Ptr<const Packet> packet,
                         uint16_t /* channelFreqMhz */,
                         WifiTxVector /* txVector */,
                         MpduInfo aMpdu,
                         uint16_t /* staId */)
{
    WifiMacHeader hdr;
    GptpTag gtag;
    if (PeekMacHeader(packet, aMpdu, hdr) && hdr.IsData() && packet->PeekPacketTag(gtag))
    {
        // MonitorSnifferTx fires at the start of the PPDU (WifiPhy::Send).
        m_gptp[node]->NotifyTransmitted(packet);
    }
}

void
FactoryCell::OnPpduRx(uint32_t node,
                      Ptr<const WifiPpdu> ppdu,
                      RxSignalInfo info,
                      const WifiTxVector& txVector,
                      const std::vector<bool>& outcomes)
{
    // The PSDU this PHY decoded (its own in an MU PPDU), as PhyEntity::EndReceivePayload takes it.
    const auto phy = m_devices[node]->GetPhy();
    const auto entity = phy->GetPhyEntityForPpdu(ppdu);
    const auto psdu = entity->GetAddressedPsduInPpdu(ppdu);
    if (!psdu)
    {
        return;
    }
    const Mac48Address self = m_devices[node]->GetMac()->GetAddress();
    uint32_t received = 0; // data MPDUs addressed to this node and received without error
    for (std::size_t k = 0; k < psdu->GetNMpdus() && k < outcomes.size(); ++k)
    {
        const auto& hdr = psdu->GetHeader(k);
        received += outcomes[k] && hdr.IsData() && hdr.GetAddr1() == self ? 1 : 0;
    }
    if (received == 0)
    {
        return;
    }
    auto& c = m_counters[node];
    // RxSignalInfo.snr is signal over noise plus interference (InterferenceHelper::CalculateSnr),
    // i.e. the SINR; rssi is the received power of the PPDU (the same for all its MPDUs).
    const double sinr = 10 * std::log10(info.snr);
    c.rxMpdus += received;
    c.sinrSumDb += received * sinr;
    c.rxPowerSumDbm += received * info.rssi;
    c.lastRxSinrDb = static_cast<float>(sinr);
    const auto& mode = txVector.GetMode(entity->GetStaId(ppdu));
    c.lastRxMcs = mode.GetModulationClass() >= WIFI_MOD_CLASS_HT ? mode.GetMcsValue() : 0;
}

void
FactoryCell::OnDroppedMpdu(WifiMacDropReason reason, Ptr<const WifiMpdu> mpdu)
{
    FlowTag tag;
    if (!mpdu->GetPacket()->PeekPacketTag(tag) || tag.GetFlow() >= m_desc.flows.size())
    {
        return;
    }
    m_split.Forget(tag.GetFlow(), tag.GetSeq());
    RecordDrop(tag.GetFlow(), tag.GetSeq(), FromWifiDropReason(reason));
}

void
FactoryCell::OnEnqueue(uint32_t node, std::size_t ac, Ptr<const WifiMpdu> mpdu)
{
    FlowTag tag;
    if (!mpdu->GetPacket()->PeekPacketTag(tag) || tag.GetFlow() >= m_desc.flows.size())
    {
        return;
    }
    m_enqueuedByAc[ac]++;
    // The first Wi-Fi hop is the flow's source, or the AP for a flow from a wired node.
    const uint32_t src = m_desc.flows[tag.GetFlow()].src;
    m_split.NotifyEnqueue(tag.GetFlow(),
                          tag.GetSeq(),
                          src == node || (m_wired && m_wired->IsWired(src)),
                          Simulator::Now());
}

void
FactoryCell::OnPsduTx(uint32_t node, const WifiConstPsduMap& psdus, const WifiTxVector& txVector)
{
    // Link statistics: every data MPDU sent, and the MCS of the last one.
    auto& c = m_counters[node];
    // The latency split: only PPDUs with data frames matter (not control, management or QoS Null).
    bool data = false;
    for (const auto& [staId, psdu] : psdus)
    {
        for (std::size_t i = 0; i < psdu->GetNMpdus(); ++i)
        {
            const auto& hdr = psdu->GetHeader(i);
            if (!hdr.IsData())
            {
                continue;
            }
            c.txMpdus++;
            const auto& mode = txVector.GetMode(staId);
            c.lastTxMcs = mode.GetModulationClass() >= WIFI_MOD_CLASS_HT ? mode.GetMcsValue() : 0;
            data = data || (hdr.IsQosData() && hdr.HasData());
        }
    }
    if (!data)
    {
        return;
    }
    Time duration =
        WifiPhy::CalculateTxDuration(psdus, txVector, m_devices[node]->GetPhy()->GetPhyBand());
    m_split.NotifyPpdu(node, psdus, duration, Simulator::Now());
}

void
FactoryCell::RecordDrop(uint32_t flow, uint32_t seq, DropReason reason)
{
    if (flow < m_desc.flows.size() && m_desc.flows[flow].radio == "both" &&
        reason != DropReason::DUPLICATE_ELIMINATED && !m_frer.Lost(flow, seq))
    {
        return; // the other radio's copy is delivered or still on its way
    }
    DropRecord d{};
    d.time_ns = NowNs();
    d.flow = flow;
    d.seq = seq;
    d.reason = static_cast<uint8_t>(reason);
    m_pending.drops.push_back(d);
}

void
FactoryCell::DeliverCopy(const DeliveryRecord& d)
{
    if (m_desc.flows[d.flow].radio == "both" &&
        m_frer.Received(d.flow, d.seq) == FrerSequenceRecovery::Outcome::ELIMINATE)
    {
        RecordDrop(d.flow, d.seq, DropReason::DUPLICATE_ELIMINATED);
        return;
    }
    m_pending.deliveries.push_back(d);
}

void
FactoryCell::InstallNr()
{
    if (!m_desc.nr.present)
    {
        return;
    }
    m_nr = std::make_unique<CellNr>(m_desc, m_nodes, m_channel);
    m_nextStream += m_nr->Install(
        m_nextStream,
        [this](uint32_t node, Ptr<const Packet> p, const NrPacketRecord& r)
        { OnNrDelivery(node, p, r); },
        [this](Ptr<const Packet> p, DropReason reason)
        {
            FlowTag tag;
            if (p->PeekPacketTag(tag) && tag.GetFlow() < m_desc.flows.size())
            {
                RecordDrop(tag.GetFlow(), tag.GetSeq(), reason);
            }
        });
    // Twin time 0 on an NR frame boundary (the derivations of docs/nr.md start there).
    Simulator::Stop(m_nr->AlignedStart(Simulator::Now()) - Simulator::Now());
    Simulator::Run();
}

void
FactoryCell::OnNrDelivery(uint32_t node, Ptr<const Packet> p, const NrPacketRecord& rec)
{
    FlowTag tag;
    if (!p->PeekPacketTag(tag) || tag.GetFlow() >= m_desc.flows.size() ||
        m_desc.flows[tag.GetFlow()].dst != node)
    {
        return;
    }
    DeliveryRecord d{};
    d.rx_time_ns = NowNs();
    d.send_time_ns = tag.GetSendTimeNs();
    d.flow = tag.GetFlow();
    d.seq = tag.GetSeq();
    d.sinr_db = static_cast<float>(rec.sinrDb);
    d.mcs = rec.mcs;
    d.hops = 1;
    // Latency split (docs/nr.md, "In the cell"): access = SR + grant wait (UL dynamic grant),
    // queue = the rest until the first transmission, air = all HARQ transmissions.
    const Time toFirstTx = rec.firstTx - rec.arrival;
    const Time access = rec.grant.IsNegative() ? Time(0) : rec.grant - rec.arrival;
    d.access_ns = access.GetNanoSeconds();
    d.queue_ns = (toFirstTx - access).GetNanoSeconds();
    d.air_ns = rec.airtime.GetNanoSeconds() * rec.transmissions;
    d.retries = static_cast<uint8_t>(std::min<uint32_t>(rec.transmissions - 1, 255));
    d.radio = static_cast<uint8_t>(Radio::NR);
    DeliverCopy(d);
}

std::vector<LinkStatsRecord>
FactoryCell::CollectLinkStats()
{
    std::vector<LinkStatsRecord> out(m_nodes.GetN());
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Time step = Simulator::Now() - m_lastStats;
    m_lastStats = Simulator::Now();
    for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
    {
        auto& c = m_counters[i];
        auto& r = out[i];
        r.node = i;
        uint32_t queued = 0;
        for (const auto& queue : m_queues[i])
        {
            queued += queue ? queue->GetNPackets() : 0;
        }
        queued += m_nr ? m_nr->QueuePackets(i) : 0;
        r.queue_packets = queued;
        r.tx_mpdus = c.txMpdus;
        r.tx_failures = c.txFailures;
        r.rx_mpdus = c.rxMpdus;
        r.sinr_db = c.rxMpdus ? static_cast<float>(c.sinrSumDb / c.rxMpdus) : nan;
        r.rx_power_dbm = c.rxMpdus ? static_cast<float>(c.rxPowerSumDbm / c.rxMpdus) : nan;
        // TX + RX + primary CCA busy over the step (PhyBusyTracker); NaN for an empty step.
        const Time busy = m_busyTrackers[i] ? m_busyTrackers[i]->TakeBusyTime() : Time(0);
        r.busy_fraction = m_busyTrackers[i] && step.IsStrictlyPositive()
                              ? static_cast<float>(busy.GetSeconds() / step.GetSeconds())
                              : nan;
        r.mcs = c.lastTxMcs;
        r.associated = IsAssociated(i) ? 1 : 0;
        r.clock_offset_ns =
            m_gptp.empty()
                ? std::numeric_limits<double>::quiet_NaN()
                : static_cast<double>(m_gptp[i]->GetOffsetFromGrandmaster().GetNanoSeconds());
        // Per-step counters restart; the last-reception values carry over.
        c.txMpdus = c.txFailures = c.rxMpdus = 0;
        c.sinrSumDb = c.rxPowerSumDbm = 0;
    }
    return out;
}

} // namespace ns3
