#include "nr-ue-net-device.h"

#include "ns3/log.h"
#include "ns3/pointer.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrUeNetDevice");
NS_OBJECT_ENSURE_REGISTERED(NrUeNetDevice);

TypeId
NrUeNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrUeNetDevice")
            .SetParent<NrNetDevice>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrUeNetDevice>()
            .AddAttribute("Mac",
                          "The UE MAC.",
                          PointerValue(),
                          MakePointerAccessor(&NrUeNetDevice::SetMac, &NrUeNetDevice::GetMac),
                          MakePointerChecker<NrUeMac>());
    return tid;
}

NrUeNetDevice::NrUeNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
NrUeNetDevice::DoDispose()
{
    if (m_mac)
    {
        m_mac->Dispose();
    }
    m_mac = nullptr;
    NrNetDevice::DoDispose();
}

void
NrUeNetDevice::SetMac(Ptr<NrUeMac> mac)
{
    m_mac = mac;
    if (m_mac)
    {
        m_mac->SetDeliverCallback(MakeCallback(&NrUeNetDevice::MacDeliver, this));
    }
}

Ptr<NrUeMac>
NrUeNetDevice::GetMac() const
{
    return m_mac;
}

void
NrUeNetDevice::SetGnbAddress(Mac48Address gnb)
{
    m_gnb = gnb;
}

bool
NrUeNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    if (!m_mac || packet->GetSize() > GetMtu())
    {
        return false;
    }
    m_macTxTrace(packet);
    m_mac->Enqueue(packet, protocolNumber);
    return true;
}

void
NrUeNetDevice::MacDeliver(Ptr<Packet> p, uint16_t protocol, const NrPacketRecord& rec)
{
    ForwardUp(p, protocol, m_gnb, rec);
}

} // namespace ns3
