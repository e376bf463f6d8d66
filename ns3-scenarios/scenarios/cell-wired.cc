#include "cell-wired.h"

#include "../model/ethernet-link.h"
#include "../model/flow-tag.h"

#include "ns3/log.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CellWired");

namespace
{

/// Traffic class of scheduled streams (TsnConfigurator ScheduledTrafficClass).
constexpr uint8_t kScheduledTc = 7;

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
    m_bridgeNode = CreateObject<Node>();
    m_bridge = CreateObject<TsnBridge>();
    m_bridge->SetAttribute("ProcessingDelay", TimeValue(NanoSeconds(w.processingDelayNs)));
    m_bridgeNode->AggregateObject(m_bridge); // disposed with the node list
    m_bridge->SetTrafficClassCallback(
        TsnBridge::TrafficClassCallback([this](Ptr<const Packet> f) { return FrameTc(f); }));
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
                    m_ports[m_ap]->Send(
                        frame, m_ports[m_ap]->GetBroadcast(), EthernetLink::kCarrierProtocol);
                    break;
                }
            }
            return true;
        }));
    if (w.qbv.enabled)
    {
        Configure();
    }
}

void
CellWired::Configure()
{
    const auto& w = m_desc.wired;
    const uint32_t n = m_desc.nodes.size();
    const uint32_t bridgeId = n; // the bridge's node id in the configurator
    m_configurator = CreateObject<TsnConfigurator>();
    m_configurator->SetAttribute("SyncErrorBound", TimeValue(NanoSeconds(w.qbv.syncErrorBoundNs)));
    m_configurator->SetAttribute("GuardBand", TimeValue(NanoSeconds(w.qbv.guardBandNs)));
    // Hop h+1 may open once the frame has reached the bridge and been switched: the frame's
    // occupancy on the wire (its window) covers its reception except the cable, so p is the
    // bridge's processing delay plus the propagation delay.
    m_configurator->SetAttribute("ProcessingDelay",
                                 TimeValue(NanoSeconds(w.processingDelayNs + w.delayNs)));
    m_configurator->SetAttribute("ScheduledTrafficClass", UintegerValue(kScheduledTc));
    for (uint32_t i = 0; i < n; ++i)
    {
        if (m_ports[i])
        {
            m_configurator->AddLink(Uplink(i), {i});
            m_configurator->AddLink(Downlink(i), {bridgeId});
        }
    }
    for (const auto& sd : w.qbv.streams)
    {
        const auto& f = m_desc.flows[sd.flow];
        const Time d = EthernetLink::Occupancy(
            f.sizeBytes + EthernetLink::kHeaderBytes + EthernetLink::kFcsBytes, w.rateBps);
        TsnStreamRequirement r;
        r.name = f.name;
        r.talker = f.src;
        r.listener = f.dst;
        r.period = NanoSeconds(sd.periodNs);
        r.sizeBytes = f.sizeBytes;
        r.maxLatency = NanoSeconds(sd.maxLatencyNs);
        r.path = {TsnHop{Uplink(f.src), f.src, d},
                  TsnHop{Downlink(IsWired(f.dst) ? f.dst : m_ap), bridgeId, d}};
        m_configurator->AddStream(r);
    }
    if (!m_configurator->Compute())
    {
        throw std::invalid_argument("cell description: wired.qbv.streams: " +
                                    m_configurator->GetError());
    }
    m_clock = CreateObject<LocalClock>();
    m_clock->SetAttribute("FrequencyOffset",
                          StringValue("ns3::ConstantRandomVariable[Constant=0]"));
    m_clock->SetAttribute("WanderInterval", TimeValue(Time(0)));
    m_bridgeNode->AggregateObject(m_clock);
    const Time cycle = m_configurator->GetHypercycle();
    const double rate = w.rateBps;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_ports[i])
        {
            continue;
        }
        auto gcl = m_configurator->GetGateControlList(bridgeId, Downlink(i));
        if (!gcl)
        {
            gcl = CreateObject<GateControlList>();
            gcl->SetCycleTime(cycle);
            gcl->AddEntry(0xFF, cycle);
        }
        auto shaper =
            m_bridge->SetPortGates(m_bridgePort[i],
                                   gcl,
                                   m_clock,
                                   TimeAwareShaper::FrameDurationCallback(
                                       [rate](Ptr<const Packet> frame, uint8_t) {
                                           return EthernetLink::Occupancy(frame->GetSize(), rate);
                                       }));
        shaper->SetAttribute("MaxFrames", UintegerValue(w.queuePackets));
    }
}

void
CellWired::Start(Time t0)
{
    if (!m_configurator)
    {
        return;
    }
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (m_ports[i])
        {
            // The bridge's clock reads simulation time, so twin time 0 is synchronized time t0.
            m_bridge->GetShaper(m_bridgePort[i])->GetGateControlList()->SetBaseTime(t0);
        }
    }
    m_bridge->Start();
}

void
CellWired::Send(uint32_t node, Ptr<Packet> payload, Mac48Address dst, uint16_t etherType)
{
    const Mac48Address src = node == m_ap ? m_wifiAddress[m_ap] : GetAddress(node);
    EthernetLink::Encapsulate(payload, src, dst, etherType);
    if (!m_ports[node]->Send(
            payload, m_ports[node]->GetBroadcast(), EthernetLink::kCarrierProtocol))
    {
        NS_LOG_DEBUG("node " << node << ": its port's queue is full");
    }
}

void
CellWired::Receive(uint32_t node, Ptr<const Packet> frame)
{
    Ptr<Packet> p = frame->Copy();
    Mac48Address src;
    Mac48Address dst;
    const uint16_t etherType = EthernetLink::Decapsulate(p, src, dst);
    if (node == m_ap && dst != m_wifiAddress[m_ap])
    {
        // Bridged into the BSS; the frame keeps its user priority (SocketPriorityTag).
        m_apWifi->Send(p, dst, etherType);
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
        j["qbv"] = {{"cycle_ns", m_configurator->GetHypercycle().GetNanoSeconds()},
                    {"streams", streams}};
    }
    return j;
}

} // namespace ns3
