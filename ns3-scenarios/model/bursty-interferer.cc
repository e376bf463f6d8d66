#include "bursty-interferer.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BurstyInterferer");

NS_OBJECT_ENSURE_REGISTERED(BurstyInterferer);

TypeId
BurstyInterferer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::BurstyInterferer")
            .SetParent<NonWifiInterferer>()
            .SetGroupName("Spectrum")
            .AddConstructor<BurstyInterferer>()
            .AddAttribute("Bandwidth",
                          "Occupied bandwidth in Hz (flat PSD around CenterFrequency).",
                          DoubleValue(20e6),
                          MakeDoubleAccessor(&BurstyInterferer::m_bandwidthHz),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("OnTime",
                          "Length of each burst, in s (a random variable).",
                          StringValue("ns3::ExponentialRandomVariable[Mean=0.005]"),
                          MakePointerAccessor(&BurstyInterferer::m_onTime),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("OffTime",
                          "Gap between bursts, in s (a random variable).",
                          StringValue("ns3::ExponentialRandomVariable[Mean=0.015]"),
                          MakePointerAccessor(&BurstyInterferer::m_offTime),
                          MakePointerChecker<RandomVariableStream>());
    return tid;
}

BurstyInterferer::BurstyInterferer()
{
    NS_LOG_FUNCTION(this);
}

BurstyInterferer::~BurstyInterferer()
{
    NS_LOG_FUNCTION(this);
}

void
BurstyInterferer::DoDispose()
{
    m_burstEvent.Cancel();
    m_onTime = nullptr;
    m_offTime = nullptr;
    NonWifiInterferer::DoDispose();
}

int64_t
BurstyInterferer::AssignStreams(int64_t stream)
{
    m_onTime->SetStream(stream);
    m_offTime->SetStream(stream + 1);
    return 2;
}

void
BurstyInterferer::DoStart()
{
    NS_LOG_FUNCTION(this);
    ScheduleNextBurst();
}

void
BurstyInterferer::DoStop()
{
    NS_LOG_FUNCTION(this);
    m_burstEvent.Cancel();
}

void
BurstyInterferer::NotifyOnPeriodEnd()
{
    ScheduleNextBurst();
}

void
BurstyInterferer::ScheduleNextBurst()
{
    const double off = m_offTime->GetValue();
    NS_ABORT_MSG_IF(off < 0.0, "BurstyInterferer: negative OffTime draw " << off);
    m_burstEvent = Simulator::Schedule(Seconds(off), &BurstyInterferer::BeginBurst, this);
}

void
BurstyInterferer::BeginBurst()
{
    const double on = m_onTime->GetValue();
    NS_ABORT_MSG_IF(on < 0.0, "BurstyInterferer: negative OnTime draw " << on);
    const Time onTime = Seconds(on);
    if (onTime.IsStrictlyPositive())
    {
        TurnOnFor(onTime);
    }
    else
    {
        ScheduleNextBurst();
    }
}

} // namespace ns3
