#include "tsn-bridge.h"

#include "ethernet-link.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TsnBridge");
NS_OBJECT_ENSURE_REGISTERED(TsnBridge);

TypeId
TsnBridge::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TsnBridge")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<TsnBridge>()
            .AddAttribute("ProcessingDelay",
                          "From the whole frame's reception on a port to its arrival in the "
                          "egress queue (lookup and switching; store-and-forward, 802.1Q-2018 "
                          "8.6). The frame's own reception time is not included.",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&TsnBridge::m_processingDelay),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Forward",
                            "A frame was queued on an egress port.",
                            MakeTraceSourceAccessor(&TsnBridge::m_forwardTrace),
                            "ns3::TsnBridge::FrameTracedCallback")
            .AddTraceSource("Drop",
                            "A frame was discarded (unknown destination, or its own ingress "
                            "port, or a full queue).",
                            MakeTraceSourceAccessor(&TsnBridge::m_dropTrace),
                            "ns3::TsnBridge::FrameTracedCallback");
    return tid;
}

TsnBridge::TsnBridge() = default;

TsnBridge::~TsnBridge() = default;

void
TsnBridge::DoDispose()
{
    for (auto& dev : m_ports)
    {
        dev->SetReceiveCallback(
            MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>());
    }
    m_ports.clear();
    m_shapers.clear();
    Object::DoDispose();
}

uint32_t
TsnBridge::AddPort(Ptr<NetDevice> device)
{
    const uint32_t port = m_ports.size();
    m_ports.push_back(device);
    m_shapers.push_back(nullptr);
    device->SetReceiveCallback(NetDevice::ReceiveCallback(
        [this, port](Ptr<NetDevice>, Ptr<const Packet> frame, uint16_t, const Address&)
        { return Receive(port, frame); }));
    return port;
}

void
TsnBridge::AddStaticEntry(Mac48Address address, uint32_t port)
{
    NS_ABORT_MSG_IF(port >= m_ports.size(), "TsnBridge: no port " << port);
    m_fdb[address] = port;
}

Ptr<TimeAwareShaper>
TsnBridge::SetPortGates(uint32_t port,
                        Ptr<GateControlList> gcl,
                        Ptr<LocalClock> clock,
                        TimeAwareShaper::FrameDurationCallback frameDuration)
{
    NS_ABORT_MSG_IF(port >= m_ports.size(), "TsnBridge: no port " << port);
    auto shaper = CreateObject<TimeAwareShaper>();
    shaper->SetClock(clock);
    shaper->SetGateControlList(gcl);
    shaper->SetFrameDurationCallback(frameDuration);
    // No port-ready callback: after releasing a frame the shaper counts the port busy for the
    // frame's occupancy, which is exactly when the link's transmitter frees up.
    auto dev = m_ports[port];
    shaper->SetOutputCallback(TimeAwareShaper::OutputCallback(
        [dev](Ptr<Packet> p, const Address& dest, uint16_t proto, uint8_t)
        { dev->Send(p, dest, proto); }));
    shaper->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, uint8_t>([this, port](Ptr<const Packet> p, uint8_t)
                                                   { m_dropTrace(p, port); }));
    m_shapers[port] = shaper;
    return shaper;
}

void
TsnBridge::SetTrafficClassCallback(TrafficClassCallback cb)
{
    m_tc = cb;
}

void
TsnBridge::SetLinkLocalCallback(LinkLocalCallback cb)
{
    m_linkLocal = cb;
}

void
TsnBridge::Start()
{
    for (auto& shaper : m_shapers)
    {
        if (shaper)
        {
            shaper->Start();
        }
    }
}

Ptr<NetDevice>
TsnBridge::GetPort(uint32_t port) const
{
    return m_ports.at(port);
}

uint32_t
TsnBridge::GetNPorts() const
{
    return m_ports.size();
}

Ptr<TimeAwareShaper>
TsnBridge::GetShaper(uint32_t port) const
{
    return m_shapers.at(port);
}

bool
TsnBridge::Receive(uint32_t ingress, Ptr<const Packet> frame)
{
    Mac48Address src;
    Mac48Address dst;
    EthernetLink::Peek(frame, src, dst);
    uint8_t a[6];
    dst.CopyTo(a);
    if (a[0] == 0x01 && a[1] == 0x80 && a[2] == 0xC2 && a[3] == 0 && a[4] == 0 && a[5] <= 0x0F)
    {
        // Reserved addresses: never relayed (802.1Q-2018 8.6.3).
        if (!m_linkLocal.IsNull())
        {
            m_linkLocal(ingress, frame);
        }
        return true;
    }
    auto it = m_fdb.find(dst);
    if (it == m_fdb.end() || it->second == ingress)
    {
        NS_LOG_DEBUG("port " << ingress << " discards a frame to " << dst);
        m_dropTrace(frame, ingress);
        return true;
    }
    Simulator::Schedule(m_processingDelay, &TsnBridge::Egress, this, it->second, frame->Copy());
    return true;
}

void
TsnBridge::Egress(uint32_t port, Ptr<Packet> frame)
{
    m_forwardTrace(frame, port);
    auto dev = m_ports[port];
    if (m_shapers[port] && m_shapers[port]->IsRunning())
    {
        const uint8_t tc = m_tc.IsNull() ? 0 : m_tc(frame);
        // A full queue fires the shaper's Drop trace, connected to this bridge's.
        m_shapers[port]->Enqueue(frame, dev->GetBroadcast(), EthernetLink::kCarrierProtocol, tc);
        return;
    }
    if (!dev->Send(frame, dev->GetBroadcast(), EthernetLink::kCarrierProtocol))
    {
        m_dropTrace(frame, port);
    }
}

} // namespace ns3
