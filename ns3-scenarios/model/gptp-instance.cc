#include "gptp-instance.h"

#include "gptp-port.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GptpInstance");
NS_OBJECT_ENSURE_REGISTERED(GptpInstance);

TypeId
GptpInstance::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GptpInstance")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<GptpInstance>()
            .AddAttribute("Grandmaster",
                          "This instance is the grandmaster (its local time is the time base).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&GptpInstance::m_grandmaster),
                          MakeBooleanChecker())
            .AddAttribute("ClockIdentity",
                          "clockIdentity (EUI-64); 0 picks a unique one.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&GptpInstance::m_clockIdentity),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("Offset",
                            "Offset of the synchronized time from the grandmaster's (ground "
                            "truth) just before and just after each applied Sync.",
                            MakeTraceSourceAccessor(&GptpInstance::m_offsetTrace),
                            "ns3::GptpInstance::OffsetTracedCallback");
    return tid;
}

GptpInstance::GptpInstance()
{
    NS_LOG_FUNCTION(this);
}

GptpInstance::~GptpInstance() = default;

void
GptpInstance::DoDispose()
{
    for (auto& port : m_ports)
    {
        port->Dispose();
    }
    m_ports.clear();
    m_clock = nullptr;
    m_gmClock = nullptr;
    Object::DoDispose();
}

void
GptpInstance::SetClock(Ptr<LocalClock> clock)
{
    m_clock = clock;
}

Ptr<LocalClock>
GptpInstance::GetClock() const
{
    return m_clock;
}

void
GptpInstance::SetGrandmasterClock(Ptr<LocalClock> clock)
{
    m_gmClock = clock;
}

uint16_t
GptpInstance::AddPort(Ptr<GptpPort> port)
{
    m_ports.push_back(port);
    const auto number = static_cast<uint16_t>(m_ports.size());
    port->SetInstance(this, number);
    return number;
}

Ptr<GptpPort>
GptpInstance::GetPort(uint16_t portNumber) const
{
    NS_ABORT_MSG_IF(portNumber == 0 || portNumber > m_ports.size(),
                    "GptpInstance: no port " << portNumber);
    return m_ports[portNumber - 1];
}

uint32_t
GptpInstance::GetNPorts() const
{
    return m_ports.size();
}

uint64_t
GptpInstance::GetClockIdentity() const
{
    if (m_clockIdentity == 0)
    {
        // Unique per process; EUI-64 style with the "FF-FE" filler of a MAC-derived identity.
        static uint64_t next = 1;
        const_cast<GptpInstance*>(this)->m_clockIdentity = 0x00000AFFFE000000ULL | next++;
    }
    return m_clockIdentity;
}

bool
GptpInstance::IsGrandmaster() const
{
    return m_grandmaster;
}

void
GptpInstance::Start()
{
    NS_ABORT_MSG_IF(!m_clock, "GptpInstance: no LocalClock");
    if (m_grandmaster)
    {
        m_clock->ResetSync(); // the grandmaster's synchronized time is its local time
    }
    for (auto& port : m_ports)
    {
        NS_ABORT_MSG_IF(m_grandmaster && port->GetRole() == GptpPort::SLAVE,
                        "GptpInstance: the grandmaster has no slave port");
        port->Start();
    }
}

void
GptpInstance::Stop()
{
    for (auto& port : m_ports)
    {
        port->Stop();
    }
}

void
GptpInstance::Receive(Ptr<const Packet> packet, const Address& from)
{
    for (auto& port : m_ports)
    {
        if (m_ports.size() == 1 || port->GetPeerAddress() == from)
        {
            port->Receive(packet);
            return;
        }
    }
    NS_LOG_DEBUG("gPTP message from " << from << " matches no port");
}

void
GptpInstance::NotifyTransmitted(Ptr<const Packet> packet, Time ago)
{
    for (auto& port : m_ports)
    {
        port->NotifyTransmitted(packet, ago);
    }
}

void
GptpInstance::NotifyReceived(Ptr<const Packet> packet, Time ago)
{
    for (auto& port : m_ports)
    {
        port->NotifyReceived(packet, ago);
    }
}

void
GptpInstance::ProcessSync(Time preciseOriginTimestamp,
                          double correctionNs,
                          double upstreamRateRatio,
                          Time ingress,
                          double neighborRateRatio,
                          Time meanLinkDelay)
{
    if (m_grandmaster)
    {
        return;
    }
    const Time before = GetOffsetFromGrandmaster();
    // 10.2.13 ClockSlaveSync / 11.2.14: GM time at the Sync's ingress and the GM/local rate.
    m_rateRatio = upstreamRateRatio * neighborRateRatio;
    m_gmAtIngressNs = static_cast<double>(preciseOriginTimestamp.GetNanoSeconds()) + correctionNs +
                      static_cast<double>(meanLinkDelay.GetNanoSeconds()) * upstreamRateRatio;
    m_pot = preciseOriginTimestamp;
    m_ingress = ingress;
    m_haveSync = true;
    ++m_syncCount;
    m_clock->SetSyncCorrection(ingress, NanoSeconds(std::llround(m_gmAtIngressNs)), m_rateRatio);
    const Time after = GetOffsetFromGrandmaster();
    NS_LOG_DEBUG("sync applied: offset " << before.GetNanoSeconds() << " -> "
                                         << after.GetNanoSeconds() << " ns, rateRatio "
                                         << m_rateRatio);
    m_offsetTrace(before, after);
}

bool
GptpInstance::CanSendSync() const
{
    return m_grandmaster || m_haveSync;
}

void
GptpInstance::GetFollowUpFields(Time egress, Time* pot, double* correctionNs, double* rateRatio)
{
    if (m_grandmaster)
    {
        *pot = egress;
        *correctionNs = 0.0;
        *rateRatio = 1.0;
        return;
    }
    // Relay: upstream correction + link delay + residence time, in the GM time base.
    *pot = m_pot;
    *correctionNs = m_gmAtIngressNs - static_cast<double>(m_pot.GetNanoSeconds()) +
                    static_cast<double>((egress - m_ingress).GetNanoSeconds()) * m_rateRatio;
    *rateRatio = m_rateRatio;
}

Time
GptpInstance::GetOffsetFromGrandmaster() const
{
    if (!m_gmClock || !m_clock || m_gmClock == m_clock)
    {
        return Time(0);
    }
    const Time now = Simulator::Now();
    return NanoSeconds(
        std::llround(m_clock->GetSynchronizedTimeNs(now) - m_gmClock->GetSynchronizedTimeNs(now)));
}

uint64_t
GptpInstance::GetSyncCount() const
{
    return m_syncCount;
}

} // namespace ns3
