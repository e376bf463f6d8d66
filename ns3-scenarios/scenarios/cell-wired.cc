#include "cell-wired.h"

#include "../model/ethernet-link.h"
#include "../model/flow-tag.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/integer.h"
#include "ns3/log.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CellWired");

namespace
{

/// Traffic class of scheduled streams (TsnConfigurator ScheduledTrafficClass).
constexpr uint8_t kScheduledTc = 7;
/// EtherType of gPTP frames (802.1AS-2020 11.3.4, from memory: 0x88F7).
constexpr uint16_t kGptpEtherType = 0x88F7;
/// Traffic class of gPTP frames on a gated port (user priority 6, as on Wi-Fi).
constexpr uint8_t kGptpTc = 6;
/// Destination of gPTP frames on full-duplex Ethernet: 01-80-C2-00-00-0E, never relayed by a
/// bridge (802.1AS-2020 11.3.4 / 802.1Q-2018 Table 8-1; from memory, not checked).
const Mac48Address kGptpAddress("01:80:c2:00:00:0e");

} // namespace

CellWired::CellWired(const CellDescription& desc, NodeContainer nodes, uint32_t ap)
    : m_desc(desc)
    , m_nodes(std::move(nodes))
    , m_ap(ap)
{
}

bool
CellWired::IsWired(uint32_t node) const
{
    return node < m_desc.nodes.size() && m_desc.IsWired(node);
}

Mac48Address
CellWired::GetAddress(uint32_t node) const
{
    return Mac48Address::ConvertFrom(m_ports.at(node)->GetAddress());
}

std::string
CellWired::Uplink(uint32_t node) const
{
    return m_desc.nodes[node].name + ">bridge";
}

std::string
CellWired::Downlink(uint32_t node) const
{
    return "bridge>" + m_desc.nodes[node].name;
}

void
CellWired::Install(const std::vector<Ptr<WifiNetDevice>>& wifi,
                   DeliverCallback deliver,
                   DropCallback drop)
{
    const auto& w = m_desc.wired;
    const uint32_t n = m_desc.nodes.size();
    m_deliver = std::move(deliver);
    m_drop = std::move(drop);
    m_apWifi = wifi.at(m_ap);
    m_wifiAddress.assign(n, Mac48Address());
    m_streamOfFlow.assign(m_desc.flows.size(), -1);
    for (std::size_t s = 0; s < w.qbv.streams.size(); ++s)
    {
        m_streamOfFlow[w.qbv.streams[s].flow] = static_cast<int>(s);
    }
    // Hybrid (docs/tsn.md): the cell's tsn.streams are the scheduled streams of the bridge too.
    m_hybrid = m_desc.tsn.qbv.enabled;
    if (m_hybrid && !w.qbv.streams.empty())
    {
        throw std::invalid_argument(
            "cell description: wired.qbv.streams: with tsn.qbv give every stream in tsn.streams "
            "(one schedule over the bridge and the BSS); allowed: empty");
    }
    if (m_hybrid)
    {
        for (std::size_t s = 0; s < m_desc.tsn.streams.size(); ++s)
        {
            m_streamOfFlow[m_desc.tsn.streams[s].flow] = static_cast<int>(s);
        }
    }
    m_bssSend = [this](Ptr<Packet> p, Mac48Address dst, uint16_t etherType)
    { m_apWifi->Send(p, dst, etherType); };
    m_bridgeNode = CreateObject<Node>();
    m_bridge = CreateObject<TsnBridge>();
    m_bridge->SetAttribute("ProcessingDelay", TimeValue(NanoSeconds(w.processingDelayNs)));
    m_bridgeNode->AggregateObject(m_bridge); // disposed with the node list
    m_bridge->SetTrafficClassCallback(
        TsnBridge::TrafficClassCallback([this](Ptr<const Packet> f) { return FrameTc(f); }));
    m_bridge->SetLinkLocalCallback(TsnBridge::LinkLocalCallback(
        [this](uint32_t port, Ptr<const Packet> f) { ReceiveLinkLocal(port, f); }));
    auto dropped = [this](Ptr<const Packet> p)
    {
        if (m_drop)
        {
            m_drop(p);
        }
    };
    m_bridge->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, uint32_t>([dropped](Ptr<const Packet> p, uint32_t)
                                                    { dropped(p); }));
    m_ports.assign(n, nullptr);
    m_bridgePort.assign(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (wifi[i])
        {
            m_wifiAddress[i] = Mac48Address::ConvertFrom(wifi[i]->GetAddress());
        }
        if (!IsWired(i) && i != m_ap)
        {
            continue;
        }
        auto [end, bridgeSide] = EthernetLink::Install(
            m_nodes.Get(i), m_bridgeNode, w.rateBps, NanoSeconds(w.delayNs), w.queuePackets);
        m_ports[i] = end;
        m_bridgePort[i] = m_bridge->AddPort(bridgeSide);
        end->SetReceiveCallback(NetDevice::ReceiveCallback(
            [this, i](Ptr<NetDevice>, Ptr<const Packet> frame, uint16_t, const Address&)
            {
                Receive(i, frame);
                return true;
            }));
        for (const auto& dev : {end, bridgeSide})
        {
            dev->TraceConnectWithoutContext(
                "MacTxDrop",
                Callback<void, Ptr<const Packet>>([dropped](Ptr<const Packet> p) { dropped(p); }));
        }
    }
    // Static filtering entries (802.1Q-2018 8.8.1): wired nodes on their ports, every Wi-Fi
    // address (the AP's own and its stations') behind the AP's port.
    for (uint32_t i = 0; i < n; ++i)
    {
        if (IsWired(i))
        {
            m_bridge->AddStaticEntry(GetAddress(i), m_bridgePort[i]);
        }
        else if (wifi[i])
        {
            m_bridge->AddStaticEntry(m_wifiAddress[i], m_bridgePort[m_ap]);
        }
    }
    // The AP passes up frames its stations send To DS for other hosts (802.11-2020 5.1.5.1,
    // the distribution system): those for a wired node go out of its Ethernet port.
    m_apWifi->SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback(
        [this](Ptr<NetDevice>,
               Ptr<const Packet> p,
               uint16_t proto,
               const Address& from,
               const Address& to,
               NetDevice::PacketType type)
        {
            if (type != NetDevice::PACKET_OTHERHOST)
            {
                return true;
            }
            const auto dst = Mac48Address::ConvertFrom(to);
            for (uint32_t i = 0; i < m_ports.size(); ++i)
            {
                if (IsWired(i) && GetAddress(i) == dst)
                {
                    Ptr<Packet> frame = p->Copy();
                    EthernetLink::Encapsulate(frame, Mac48Address::ConvertFrom(from), dst, proto);
                    SendFromPort(m_ap, frame, FrameTc(frame));
                    break;
                }
            }
            return true;
        }));
    if (w.qbv.enabled && !m_hybrid)
    {
        Configure();
    }
}

int64_t
CellWired::SyncBoundNs(uint32_t granularityNs, int32_t logSyncInterval, uint32_t hops)
{
    // docs/tsn.md "Residual error of the time sync", per hop; on a full-duplex link the PHY
    // timestamps see a constant delay, so the jitter J is the 1 ns rounding of the timestamps.
    const double j = 1.0;
    const double g = granularityNs;
    const double w = 8.0;             // GptpPort RateRatioWindow
    const double p = 1.0;             // Pdelay interval 2^0 s (802.1AS-2020 11.5.2.2, memory)
    const double r = 0.003e-6 / 0.01; // LocalClock Wander bound per WanderInterval
    const double t = std::ldexp(1.0, logSyncInterval) + 2e-6; // T' (+ 2 (d + J), d << 1 us)
    // Rate ratio error over the shortest window (2 exchanges, right after asCapable): ns per s.
    const double er = (2 * g + j) / p;
    const double hop = j + 2 * g + er * t + (2 * r * (w * p + p) * t + r * t * t) * 1e9 + 2;
    return static_cast<int64_t>(std::ceil(hop)) * hops;
}

int64_t
CellWired::SyncErrorNs() const
{
    const auto& q = m_desc.wired.qbv;
    if (q.syncErrorBoundNs >= 0)
    {
        return q.syncErrorBoundNs;
    }
    if (!m_desc.tsn.present || !m_desc.tsn.sync.enabled)
    {
        return 0; // the bridge's gates run on an ideal clock
    }
    // The farthest transmitter on a wired link: a wired node two hops (its port, the bridge's)
    // from a grandmaster at the AP; from a wired grandmaster, the AP's port is two hops away;
    // from a grandmaster on Wi-Fi, three (counting its Wi-Fi hop like an Ethernet one).
    const auto& sd = m_desc.tsn.sync;
    uint32_t gm = m_ap;
    for (uint32_t i = 0; i < m_desc.nodes.size(); ++i)
    {
        if (!sd.grandmaster.empty() && m_desc.nodes[i].name == sd.grandmaster)
        {
            gm = i;
        }
    }
    const uint32_t hops = gm == m_ap || IsWired(gm) ? 2 : 3;
    return SyncBoundNs(sd.granularityNs, sd.logSyncInterval, hops);
}

uint32_t
CellWired::BridgeId() const
{
    return m_desc.nodes.size();
}

void
CellWired::AddLinks(Ptr<TsnConfigurator> c) const
{
    const auto& q = m_desc.wired.qbv;
    const Time e = NanoSeconds(SyncErrorNs());
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (!m_ports[i])
        {
            continue;
        }
        for (const auto& [link, tx] : {std::pair{Uplink(i), i}, std::pair{Downlink(i), BridgeId()}})
        {
            c->AddLink(link, {tx});
            c->SetLinkTiming(link, e, NanoSeconds(q.guardBandNs));
        }
    }
}

std::vector<TsnHop>
CellWired::Hops(uint32_t from, uint32_t to, uint32_t payloadBytes, Time firstProcessing) const
{
    const auto& w = m_desc.wired;
    const Time d = EthernetLink::Occupancy(
        payloadBytes + EthernetLink::kHeaderBytes + EthernetLink::kFcsBytes, w.rateBps);
    // Hop 2 may open once the frame has reached the bridge and been switched: the frame's
    // occupancy on the wire (its window) covers its reception except the cable, so its
    // processing delay is the bridge's plus the propagation delay.
    return {TsnHop{Uplink(from), from, d, firstProcessing},
            TsnHop{Downlink(to), BridgeId(), d, NanoSeconds(w.processingDelayNs + w.delayNs)}};
}

void
CellWired::Configure()
{
    const auto& w = m_desc.wired;
    m_configurator = CreateObject<TsnConfigurator>();
    m_configurator->SetAttribute("ScheduledTrafficClass", UintegerValue(kScheduledTc));
    AddLinks(m_configurator);
    for (const auto& sd : w.qbv.streams)
    {
        const auto& f = m_desc.flows[sd.flow];
        TsnStreamRequirement r;
        r.name = f.name;
        r.talker = f.src;
        r.listener = f.dst;
        r.period = NanoSeconds(sd.periodNs);
        r.sizeBytes = f.sizeBytes;
        r.maxLatency = NanoSeconds(sd.maxLatencyNs);
        r.path = Hops(f.src, IsWired(f.dst) ? f.dst : m_ap, f.sizeBytes);
        m_configurator->AddStream(r);
    }
    if (!m_configurator->Compute())
    {
        throw std::invalid_argument("cell description: wired.qbv.streams: " +
                                    m_configurator->GetError());
    }
    UseSchedule(m_configurator, m_configurator->GetHypercycle());
}

Ptr<GateControlList>
CellWired::AllOpen(Time cycle)
{
    auto gcl = CreateObject<GateControlList>();
    gcl->SetCycleTime(cycle);
    gcl->AddEntry(0xFF, cycle);
    return gcl;
}

void
CellWired::UseSchedule(Ptr<TsnConfigurator> c, Time cycle)
{
    const auto& w = m_desc.wired;
    m_configurator = c;
    if (!m_clock)
    {
        // Without 802.1AS (no tsn section) the bridge's gates run on an ideal clock.
        m_clock = CreateObject<LocalClock>();
        m_clock->SetAttribute("FrequencyOffset",
                              StringValue("ns3::ConstantRandomVariable[Constant=0]"));
        m_clock->SetAttribute("WanderInterval", TimeValue(Time(0)));
        m_bridgeNode->AggregateObject(m_clock);
    }
    const double rate = w.rateBps;
    const TimeAwareShaper::FrameDurationCallback occupancy(
        [rate](Ptr<const Packet> frame, uint8_t)
        { return EthernetLink::Occupancy(frame->GetSize(), rate); });
    auto gclOf = [&](uint32_t node, const std::string& link)
    {
        Ptr<GateControlList> gcl = c ? c->GetGateControlList(node, link) : nullptr;
        return gcl ? gcl : AllOpen(cycle);
    };
    m_nicShapers.assign(m_ports.size(), nullptr);
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (!m_ports[i])
        {
            continue;
        }
        auto shaper = m_bridge->SetPortGates(
            m_bridgePort[i], gclOf(BridgeId(), Downlink(i)), m_clock, occupancy);
        shaper->SetAttribute("MaxFrames", UintegerValue(w.queuePackets));
        if (!m_hybrid)
        {
            continue;
        }
        // 802.1Qbv on the end station's port too, on its own synchronized clock: the AP's
        // Ethernet port carries the frames its stations send to wired nodes.
        auto nic = CreateObject<TimeAwareShaper>();
        nic->SetClock(m_clocks.at(i));
        nic->SetGateControlList(gclOf(i, Uplink(i)));
        nic->SetFrameDurationCallback(occupancy);
        nic->SetAttribute("MaxFrames", UintegerValue(w.queuePackets));
        auto dev = m_ports[i];
        nic->SetOutputCallback(TimeAwareShaper::OutputCallback(
            [dev](Ptr<Packet> p, const Address& dest, uint16_t proto, uint8_t)
            { dev->Send(p, dest, proto); }));
        nic->TraceConnectWithoutContext("Drop",
                                        Callback<void, Ptr<const Packet>, uint8_t>(
                                            [this](Ptr<const Packet> p, uint8_t)
                                            {
                                                if (m_drop)
                                                {
                                                    m_drop(p);
                                                }
                                            }));
        m_nicShapers[i] = nic;
    }
}

void
CellWired::SetBssSendCallback(BssSendCallback cb)
{
    m_bssSend = std::move(cb);
}

Ptr<TimeAwareShaper>
CellWired::NicShaper(uint32_t node) const
{
    return node < m_nicShapers.size() ? m_nicShapers[node] : nullptr;
}

void
CellWired::SendFromPort(uint32_t node, Ptr<Packet> frame, uint8_t tc)
{
    auto nic = NicShaper(node);
    if (nic && nic->IsRunning())
    {
        nic->Enqueue(frame, m_ports[node]->GetBroadcast(), EthernetLink::kCarrierProtocol, tc);
        return;
    }
    if (!m_ports[node]->Send(frame, m_ports[node]->GetBroadcast(), EthernetLink::kCarrierProtocol))
    {
        NS_LOG_DEBUG("node " << node << ": its port's queue is full");
    }
}

int64_t
CellWired::InstallClocks(const std::vector<Ptr<LocalClock>>& clocks,
                         const std::vector<Ptr<GptpInstance>>& gptp,
                         uint32_t grandmaster,
                         int64_t stream)
{
    const auto& sd = m_desc.tsn.sync;
    m_clocks = clocks;
    m_gptp = gptp;
    m_grandmaster = grandmaster;
    std::ostringstream ppm;
    ppm << "ns3::UniformRandomVariable[Min=" << -sd.ppmMax << "|Max=" << sd.ppmMax << "]";
    auto clock = CreateObject<LocalClock>();
    clock->SetAttribute("FrequencyOffset", StringValue(ppm.str()));
    clock->SetAttribute("Granularity", TimeValue(NanoSeconds(sd.granularityNs)));
    const int64_t used = clock->AssignStreams(stream);
    m_bridgeGptp = CreateObject<GptpInstance>();
    m_bridgeGptp->SetClock(clock);
    m_bridgeGptp->SetGrandmasterClock(clocks.at(grandmaster));
    m_bridgeNode->AggregateObject(m_bridgeGptp);
    if (m_clock)
    {
        // wired.qbv without tsn.qbv: the gates move from the ideal clock to the synchronized one.
        for (uint32_t i = 0; i < m_ports.size(); ++i)
        {
            if (m_ports[i])
            {
                m_bridge->GetShaper(m_bridgePort[i])->SetClock(clock);
            }
        }
    }
    m_clock = clock;
    m_bridgeNode->AggregateObject(clock);
    return used;
}

Ptr<GptpInstance>
CellWired::GetBridgeGptp() const
{
    return m_bridgeGptp;
}

Ptr<GptpPort>
CellWired::MakeGptpPort(Ptr<PointToPointNetDevice> dev,
                        GptpPort::Role role,
                        std::function<void(Ptr<Packet>)> send) const
{
    const auto& sd = m_desc.tsn.sync;
    auto port = CreateObject<GptpPort>();
    port->SetAttribute("Role", EnumValue(role));
    port->SetAttribute("LogSyncInterval", IntegerValue(sd.logSyncInterval));
    // Full-duplex Ethernet: no retransmission can move an egress timestamp, so the Follow_Up
    // leaves as soon as the Sync's is known (two-step, 802.1AS-2020 11.1.3).
    port->SetAttribute("FollowUpDelay", TimeValue(Time(0)));
    port->SetAttribute("SoftwareTimestamps", BooleanValue(sd.timestamps == "software"));
    port->SetPeerAddress(kGptpAddress);
    port->SetSendCallback(
        GptpPort::SendCallback([send](Ptr<Packet> p, const Address&) { send(p); }));
    if (sd.timestamps == "phy")
    {
        // Timestamp points (802.1AS-2020 11.3.9, the message timestamp point, from memory): both
        // ends refer to the start of the frame on the wire. PhyTxBegin fires when the first bit
        // leaves; PhyRxEnd when the last bit arrived, i.e. the frame's serialization time (the
        // device's rate over the point-to-point frame, PPP header included) after its first
        // bit, which the channel delay (cable + 6 preamble bytes) put after the first bit left.
        const double rate = m_desc.wired.rateBps;
        dev->TraceConnectWithoutContext(
            "PhyTxBegin",
            Callback<void, Ptr<const Packet>>([port](Ptr<const Packet> p)
                                              { port->NotifyTransmitted(p); }));
        dev->TraceConnectWithoutContext(
            "PhyRxEnd",
            Callback<void, Ptr<const Packet>>(
                [port, rate](Ptr<const Packet> p)
                { port->NotifyReceived(p, EthernetLink::Bits(p->GetSize(), rate)); }));
    }
    return port;
}

void
CellWired::StartTimeSync()
{
    if (!m_bridgeGptp)
    {
        return;
    }
    const bool gmWired = IsWired(m_grandmaster);
    const uint32_t upstream = gmWired ? m_grandmaster : m_ap; // the bridge's slave port's node
    m_nodeGptp.assign(m_ports.size(), nullptr);
    m_bridgeGptpPorts.assign(m_bridge->GetNPorts(), nullptr);
    // Slave port first (a relay's ports: the slave, then the masters).
    std::vector<uint32_t> order{upstream};
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (m_ports[i] && i != upstream)
        {
            order.push_back(i);
        }
    }
    for (uint32_t i : order)
    {
        const uint32_t bp = m_bridgePort[i];
        auto bridgeDev = DynamicCast<PointToPointNetDevice>(m_bridge->GetPort(bp));
        auto bport = MakeGptpPort(
            bridgeDev,
            i == upstream ? GptpPort::SLAVE : GptpPort::MASTER,
            [this, bp, bridgeDev](Ptr<Packet> p)
            {
                EthernetLink::Encapsulate(p,
                                          Mac48Address::ConvertFrom(bridgeDev->GetAddress()),
                                          kGptpAddress,
                                          kGptpEtherType);
                auto shaper = m_bridge->GetShaper(bp);
                if (shaper && shaper->IsRunning())
                {
                    shaper->Enqueue(
                        p, bridgeDev->GetBroadcast(), EthernetLink::kCarrierProtocol, kGptpTc);
                    return;
                }
                bridgeDev->Send(p, bridgeDev->GetBroadcast(), EthernetLink::kCarrierProtocol);
            });
        m_bridgeGptp->AddPort(bport);
        m_bridgeGptpPorts[bp] = bport;
        // The node's end: master only on the grandmaster itself, or on the AP towards a
        // bridge whose grandmaster is on Wi-Fi (or is the AP).
        const bool nodeMaster = i == m_grandmaster || (i == m_ap && !gmWired);
        auto nport = MakeGptpPort(m_ports[i],
                                  nodeMaster ? GptpPort::MASTER : GptpPort::SLAVE,
                                  [this, i](Ptr<Packet> p)
                                  {
                                      EthernetLink::Encapsulate(
                                          p,
                                          Mac48Address::ConvertFrom(m_ports[i]->GetAddress()),
                                          kGptpAddress,
                                          kGptpEtherType);
                                      SendFromPort(i, p, kGptpTc);
                                  });
        m_gptp.at(i)->AddPort(nport);
        m_nodeGptp[i] = nport;
    }
    m_bridgeGptp->Start();
}

void
CellWired::ReceiveLinkLocal(uint32_t port, Ptr<const Packet> frame)
{
    Ptr<Packet> p = frame->Copy();
    Mac48Address src;
    Mac48Address dst;
    if (EthernetLink::Decapsulate(p, src, dst) == kGptpEtherType &&
        port < m_bridgeGptpPorts.size() && m_bridgeGptpPorts[port])
    {
        m_bridgeGptpPorts[port]->Receive(p);
    }
}

void
CellWired::Start(Time t0, int64_t baseTimeNs)
{
    if (!m_bridge->GetShaper(m_bridgePort[m_ap]))
    {
        return;
    }
    // The bridge's clock is ideal, or synchronized to an ideal grandmaster (tsn with qbv), so
    // twin time t is synchronized time t0 + t.
    const Time base = t0 + NanoSeconds(baseTimeNs);
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (!m_ports[i])
        {
            continue;
        }
        m_bridge->GetShaper(m_bridgePort[i])->GetGateControlList()->SetBaseTime(base);
        if (auto nic = NicShaper(i))
        {
            nic->GetGateControlList()->SetBaseTime(base);
            nic->Start();
        }
    }
    m_bridge->Start();
}

void
CellWired::Send(uint32_t node, Ptr<Packet> payload, Mac48Address dst, uint16_t etherType)
{
    const Mac48Address src = node == m_ap ? m_wifiAddress[m_ap] : GetAddress(node);
    EthernetLink::Encapsulate(payload, src, dst, etherType);
    SendFromPort(node, payload, FrameTc(payload));
}

void
CellWired::Receive(uint32_t node, Ptr<const Packet> frame)
{
    Ptr<Packet> p = frame->Copy();
    Mac48Address src;
    Mac48Address dst;
    const uint16_t etherType = EthernetLink::Decapsulate(p, src, dst);
    if (etherType == kGptpEtherType)
    {
        // Link-local: the node's own gPTP port (802.1AS-2020 11.3.4).
        if (node < m_nodeGptp.size() && m_nodeGptp[node])
        {
            m_nodeGptp[node]->Receive(p);
        }
        return;
    }
    if (node == m_ap && dst != m_wifiAddress[m_ap])
    {
        // Bridged into the BSS; the frame keeps its user priority (SocketPriorityTag).
        m_bssSend(p, dst, etherType);
        return;
    }
    if (node != m_ap && dst != GetAddress(node))
    {
        return;
    }
    m_deliver(node, p, etherType, src);
}

uint8_t
CellWired::FrameTc(Ptr<const Packet> frame) const
{
    FlowTag tag;
    if (frame->PeekPacketTag(tag) && tag.GetFlow() < m_streamOfFlow.size() &&
        m_streamOfFlow[tag.GetFlow()] >= 0)
    {
        return kScheduledTc;
    }
    SocketPriorityTag prio;
    const uint8_t up = frame->PeekPacketTag(prio) ? prio.GetPriority() : 0;
    // 802.1Q-2018 Table 8-5 with 8 classes (UP 1 is the lowest, UP 0 the next); class 7 is kept
    // for the scheduled streams, whose gate is closed outside their windows.
    return up < 2 ? 1 - up : std::min<uint8_t>(up, kScheduledTc - 1);
}

void
CellWired::Annotate(twinproto::DeliveryRecord& d) const
{
    const auto& f = m_desc.flows[d.flow];
    if (!IsWired(f.src) && !IsWired(f.dst))
    {
        return;
    }
    const bool srcLan = IsWired(f.src) || f.src == m_ap;
    const bool dstLan = IsWired(f.dst) || f.dst == m_ap;
    d.hops = srcLan && dstLan ? 2 : 3;
    if (srcLan && dstLan)
    {
        d.radio = static_cast<uint8_t>(twinproto::Radio::WIRED);
    }
    if (dstLan)
    {
        d.sinr_db = std::numeric_limits<float>::quiet_NaN();
        d.mcs = 0;
    }
}

nlohmann::json
CellWired::Info() const
{
    const auto& w = m_desc.wired;
    nlohmann::json j;
    j["rate_bps"] = w.rateBps;
    j["delay_ns"] = w.delayNs;
    j["processing_delay_ns"] = w.processingDelayNs;
    j["sync_error_bound_ns"] = SyncErrorNs();
    nlohmann::json ports = nlohmann::json::object();
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (m_ports[i])
        {
            std::ostringstream mac;
            mac << Mac48Address::ConvertFrom(m_ports[i]->GetAddress());
            ports[m_desc.nodes[i].name] = mac.str();
        }
    }
    j["ports"] = ports;
    if (m_configurator)
    {
        nlohmann::json streams = nlohmann::json::object();
        for (const auto& sd : w.qbv.streams)
        {
            const auto& f = m_desc.flows[sd.flow];
            const auto& s = m_configurator->GetSchedule(f.name);
            nlohmann::json windows = nlohmann::json::array();
            for (const auto& win : s.windows)
            {
                windows.push_back({{"link", win.link},
                                   {"open_ns", win.open.GetNanoSeconds()},
                                   {"length_ns", win.length.GetNanoSeconds()},
                                   {"guard_ns", win.guard.GetNanoSeconds()}});
            }
            streams[f.name] = {{"talker_offset_ns", s.talkerOffset.GetNanoSeconds()},
                               {"latency_bound_ns", s.latencyBound.GetNanoSeconds()},
                               {"period_ns", s.period.GetNanoSeconds()},
                               {"windows", windows}};
        }
        nlohmann::json gcls = nlohmann::json::object();
        for (uint32_t i = 0; i < m_ports.size(); ++i)
        {
            if (!m_ports[i])
            {
                continue;
            }
            nlohmann::json entries = nlohmann::json::array();
            for (const auto& e :
                 m_bridge->GetShaper(m_bridgePort[i])->GetGateControlList()->GetEntries())
            {
                entries.push_back({e.gateStates, e.duration.GetNanoSeconds()});
            }
            gcls[Downlink(i)] = entries;
        }
        j["qbv"] = {{"cycle_ns", m_configurator->GetHypercycle().GetNanoSeconds()},
                    {"streams", streams},
                    {"gcls", gcls}};
    }
    return j;
}

} // namespace ns3
