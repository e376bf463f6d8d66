#include "nr-gnb-net-device.h"

#include "nr-ue-net-device.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrGnbNetDevice");
NS_OBJECT_ENSURE_REGISTERED(NrGnbNetDevice);

TypeId
NrGnbNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrGnbNetDevice")
            .SetParent<NrNetDevice>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrGnbNetDevice>()
            .AddAttribute("Mac",
                          "The gNB MAC and scheduler.",
                          PointerValue(),
                          MakePointerAccessor(&NrGnbNetDevice::SetMac, &NrGnbNetDevice::GetMac),
                          MakePointerChecker<NrGnbMac>());
    return tid;
}

NrGnbNetDevice::NrGnbNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
NrGnbNetDevice::DoDispose()
{
    if (m_mac)
    {
        m_mac->Dispose();
    }
    m_mac = nullptr;
    m_timing = nullptr;
    NrNetDevice::DoDispose();
}

void
NrGnbNetDevice::SetMac(Ptr<NrGnbMac> mac)
{
    m_mac = mac;
    if (m_mac)
    {
        m_mac->SetDeliverCallback(MakeCallback(&NrGnbNetDevice::MacDeliver, this));
    }
}

Ptr<NrGnbMac>
NrGnbNetDevice::GetMac() const
{
    return m_mac;
}

void
NrGnbNetDevice::SetTiming(Ptr<NrLatencyModel> timing)
{
    m_timing = timing;
}

void
NrGnbNetDevice::AttachUe(Ptr<NrUeNetDevice> ue, uint16_t rnti)
{
    m_rntiOf[ue->GetMac48Address()] = rnti;
    m_addrOf[rnti] = ue->GetMac48Address();
    ue->SetGnbAddress(GetMac48Address());
}

Mac48Address
NrGnbNetDevice::GetUeAddress(uint16_t rnti) const
{
    return m_addrOf.at(rnti);
}

uint16_t
NrGnbNetDevice::GetRnti(Mac48Address address) const
{
    auto it = m_rntiOf.find(address);
    return it == m_rntiOf.end() ? 0 : it->second;
}

bool
NrGnbNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    NS_LOG_FUNCTION(this << packet << dest << protocolNumber);
    auto it = m_rntiOf.find(Mac48Address::ConvertFrom(dest));
    if (it == m_rntiOf.end() || packet->GetSize() > GetMtu())
    {
        return false;
    }
    m_macTxTrace(packet);
    const Time core = m_timing ? m_timing->GetCoreNetworkDelay() : Seconds(0);
    if (core.IsZero())
    {
        m_mac->Enqueue(it->second, packet, protocolNumber);
    }
    else
    {
        Simulator::Schedule(core, &NrGnbMac::Enqueue, m_mac, it->second, packet, protocolNumber);
    }
    return true;
}

void
NrGnbNetDevice::MacDeliver(uint16_t rnti,
                           Ptr<Packet> p,
                           uint16_t protocol,
                           const NrPacketRecord& rec)
{
    auto it = m_addrOf.find(rnti);
    ForwardUp(p, protocol, it == m_addrOf.end() ? Mac48Address() : it->second, rec);
}

} // namespace ns3
