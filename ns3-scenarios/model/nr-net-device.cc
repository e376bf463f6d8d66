#include "nr-net-device.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/pointer.h"
#include "ns3/spectrum-channel.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrNetDevice");
NS_OBJECT_ENSURE_REGISTERED(NrNetDevice);

TypeId
NrNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("Fabtwin")
            .AddAttribute("Mtu",
                          "Largest SDU (bytes); no RLC segmentation is modelled.",
                          UintegerValue(1500),
                          MakeUintegerAccessor(&NrNetDevice::SetMtu, &NrNetDevice::GetMtu),
                          MakeUintegerChecker<uint16_t>(1, 9000))
            .AddAttribute("Phy",
                          "The NR PHY.",
                          PointerValue(),
                          MakePointerAccessor(&NrNetDevice::SetPhy, &NrNetDevice::GetPhy),
                          MakePointerChecker<NrSpectrumPhy>())
            .AddTraceSource("MacTx",
                            "An SDU accepted for transmission.",
                            MakeTraceSourceAccessor(&NrNetDevice::m_macTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("RxRecord",
                            "An SDU delivered, with its journey: arrival, grant, first and last "
                            "transmission, airtime, delivery, HARQ transmissions, SINR, MCS.",
                            MakeTraceSourceAccessor(&NrNetDevice::m_rxRecordTrace),
                            "ns3::NrNetDevice::RxRecordTracedCallback")
            .AddTraceSource("MacRx",
                            "An SDU delivered to the upper layer.",
                            MakeTraceSourceAccessor(&NrNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

NrNetDevice::NrNetDevice()
    : m_address(Mac48Address::Allocate())
{
    NS_LOG_FUNCTION(this);
}

void
NrNetDevice::DoDispose()
{
    m_node = nullptr;
    if (m_phy)
    {
        m_phy->Dispose();
    }
    m_phy = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_promiscCallback = PromiscReceiveCallback();
    NetDevice::DoDispose();
}

void
NrNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
NrNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
NrNetDevice::GetChannel() const
{
    return nullptr; // the SpectrumChannel is reached through the PHY
}

void
NrNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
NrNetDevice::GetAddress() const
{
    return m_address;
}

Mac48Address
NrNetDevice::GetMac48Address() const
{
    return m_address;
}

bool
NrNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
NrNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
NrNetDevice::IsLinkUp() const
{
    return m_phy != nullptr;
}

void
NrNetDevice::AddLinkChangeCallback(Callback<void> /* callback: the link never changes */)
{
}

bool
NrNetDevice::IsBroadcast() const
{
    return false;
}

Address
NrNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
NrNetDevice::IsMulticast() const
{
    return false;
}

Address
NrNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
NrNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
NrNetDevice::IsBridge() const
{
    return false;
}

bool
NrNetDevice::IsPointToPoint() const
{
    return false;
}

bool
NrNetDevice::SendFrom(Ptr<Packet> packet,
                      const Address& /* source: not supported, see SupportsSendFrom */,
                      const Address& dest,
                      uint16_t protocolNumber)
{
    return Send(packet, dest, protocolNumber);
}

Ptr<Node>
NrNetDevice::GetNode() const
{
    return m_node;
}

void
NrNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
    if (m_phy && node)
    {
        m_phy->SetDevice(this);
        m_phy->SetMobility(node->GetObject<MobilityModel>());
    }
}

bool
NrNetDevice::NeedsArp() const
{
    return false;
}

void
NrNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
NrNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
NrNetDevice::SupportsSendFrom() const
{
    return false;
}

void
NrNetDevice::SetPhy(Ptr<NrSpectrumPhy> phy)
{
    m_phy = phy;
    if (m_phy && m_node)
    {
        m_phy->SetDevice(this);
        m_phy->SetMobility(m_node->GetObject<MobilityModel>());
    }
}

Ptr<NrSpectrumPhy>
NrNetDevice::GetPhy() const
{
    return m_phy;
}

void
NrNetDevice::ForwardUp(Ptr<Packet> p,
                       uint16_t protocol,
                       Mac48Address from,
                       const NrPacketRecord& rec)
{
    m_macRxTrace(p);
    m_rxRecordTrace(p, rec);
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, p, protocol, from, m_address, NetDevice::PACKET_HOST);
    }
    if (!m_rxCallback.IsNull())
    {
        m_rxCallback(this, p, protocol, from);
    }
}

} // namespace ns3
