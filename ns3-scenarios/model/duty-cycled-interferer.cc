#include "duty-cycled-interferer.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DutyCycledInterferer");

NS_OBJECT_ENSURE_REGISTERED(DutyCycledInterferer);

TypeId
DutyCycledInterferer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DutyCycledInterferer")
            .SetParent<NonWifiInterferer>()
            .SetGroupName("Spectrum")
            .AddConstructor<DutyCycledInterferer>()
            .AddAttribute("Bandwidth",
                          "Occupied bandwidth in Hz (flat PSD around CenterFrequency).",
                          DoubleValue(20e6),
                          MakeDoubleAccessor(&DutyCycledInterferer::m_bandwidthHz),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("Period",
                          "Period of the on/off cycle (20 ms: one 50 Hz AC cycle; 16.667 ms for "
                          "60 Hz mains).",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&DutyCycledInterferer::m_period),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("DutyCycle",
                          "Fraction of each period the interferer is on, in [0, 1]; it is on at "
                          "the start of the period.",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&DutyCycledInterferer::m_dutyCycle),
                          MakeDoubleChecker<double>(0.0, 1.0));
    return tid;
}

DutyCycledInterferer::DutyCycledInterferer()
{
    NS_LOG_FUNCTION(this);
}

DutyCycledInterferer::~DutyCycledInterferer()
{
    NS_LOG_FUNCTION(this);
}

double
DutyCycledInterferer::GetDutyCycle() const
{
    return m_dutyCycle;
}

Time
DutyCycledInterferer::GetPeriod() const
{
    return m_period;
}

void
DutyCycledInterferer::DoStart()
{
    NS_LOG_FUNCTION(this);
    StartCycle();
}

void
DutyCycledInterferer::DoStop()
{
    NS_LOG_FUNCTION(this);
    m_cycleEvent.Cancel();
}

void
DutyCycledInterferer::StartCycle()
{
    const Time onTime = NanoSeconds(std::llround(m_period.GetNanoSeconds() * m_dutyCycle));
    if (onTime >= m_period)
    {
        // Always on: one indefinite on period, no cycle events.
        if (!IsOn())
        {
            TurnOnIndefinitely();
        }
        return;
    }
    m_cycleEvent = Simulator::Schedule(m_period, &DutyCycledInterferer::StartCycle, this);
    if (onTime.IsStrictlyPositive())
    {
        TurnOnFor(onTime);
    }
}

} // namespace ns3
