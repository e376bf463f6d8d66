#include "gate-control-list.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GateControlList");
NS_OBJECT_ENSURE_REGISTERED(GateControlList);

TypeId
GateControlList::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GateControlList")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<GateControlList>()
            .AddAttribute("CycleTime",
                          "Cycle time (802.1Q AdminCycleTime, 12.29.1.3).",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&GateControlList::m_cycleTime),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("BaseTime",
                          "Base time on the node's synchronized time (AdminBaseTime, 12.29.1.5).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&GateControlList::m_baseTime),
                          MakeTimeChecker())
            .AddAttribute("InitialGateStates",
                          "Gate states before the base time (AdminGateStates, 12.29.1.1).",
                          UintegerValue(0xFF),
                          MakeUintegerAccessor(&GateControlList::m_initialGateStates),
                          MakeUintegerChecker<uint8_t>());
    return tid;
}

GateControlList::GateControlList() = default;

GateControlList::~GateControlList() = default;

void
GateControlList::AddEntry(uint8_t gateStates, Time duration)
{
    m_entries.push_back(Entry{gateStates, duration});
}

void
GateControlList::Clear()
{
    m_entries.clear();
}

const std::vector<GateControlList::Entry>&
GateControlList::GetEntries() const
{
    return m_entries;
}

void
GateControlList::SetCycleTime(Time cycleTime)
{
    m_cycleTime = cycleTime;
}

Time
GateControlList::GetCycleTime() const
{
    return m_cycleTime;
}

void
GateControlList::SetBaseTime(Time baseTime)
{
    m_baseTime = baseTime;
}

Time
GateControlList::GetBaseTime() const
{
    return m_baseTime;
}

bool
GateControlList::Validate(std::string* reason) const
{
    std::ostringstream why;
    Time sum(0);
    if (m_cycleTime <= Time(0))
    {
        why << "cycle time must be positive";
    }
    else if (m_entries.empty())
    {
        why << "the list has no entries";
    }
    else
    {
        for (size_t i = 0; i < m_entries.size(); ++i)
        {
            if (m_entries[i].duration <= Time(0))
            {
                why << "entry " << i << " has a non-positive time interval";
                break;
            }
            sum += m_entries[i].duration;
        }
        if (why.str().empty() && sum > m_cycleTime)
        {
            why << "entries sum to " << sum.As(Time::US) << ", more than the cycle time "
                << m_cycleTime.As(Time::US) << " (by " << (sum - m_cycleTime).As(Time::US) << ")";
        }
    }
    if (reason != nullptr)
    {
        *reason = why.str();
    }
    return why.str().empty();
}

int64_t
GateControlList::PositionInCycle(Time t) const
{
    const int64_t c = m_cycleTime.GetNanoSeconds();
    return (t - m_baseTime).GetNanoSeconds() % c;
}

uint8_t
GateControlList::GetGateStates(Time t) const
{
    if (t < m_baseTime || m_entries.empty())
    {
        return m_initialGateStates;
    }
    const int64_t pos = PositionInCycle(t);
    int64_t acc = 0;
    for (const auto& e : m_entries)
    {
        acc += e.duration.GetNanoSeconds();
        if (pos < acc)
        {
            return e.gateStates;
        }
    }
    return m_entries.back().gateStates; // the last states hold until the cycle ends
}

Time
GateControlList::GetNextBoundary(Time t) const
{
    if (t < m_baseTime || m_entries.empty())
    {
        return m_entries.empty() ? Time::Max() : m_baseTime;
    }
    const int64_t pos = PositionInCycle(t);
    const Time cycleStart = t - NanoSeconds(pos);
    int64_t acc = 0;
    for (const auto& e : m_entries)
    {
        acc += e.duration.GetNanoSeconds();
        if (acc > pos && acc < m_cycleTime.GetNanoSeconds())
        {
            return cycleStart + NanoSeconds(acc);
        }
    }
    return cycleStart + m_cycleTime;
}

Time
GateControlList::GetCloseTime(uint8_t tc, Time t) const
{
    const uint8_t bit = 1u << tc;
    Time now = t;
    // Walk boundaries for at most two cycles (plus the step from before the base time).
    const size_t maxSteps = 2 * (m_entries.size() + 1) + 2;
    for (size_t i = 0; i < maxSteps; ++i)
    {
        if (!(GetGateStates(now) & bit))
        {
            return now;
        }
        now = GetNextBoundary(now);
        if (now == Time::Max())
        {
            return Time::Max();
        }
    }
    return Time::Max(); // open through whole cycles: never closes
}

Time
GateControlList::GetMaxOpenDuration(uint8_t tc) const
{
    if (m_entries.empty())
    {
        return (m_initialGateStates & (1u << tc)) ? Time::Max() : Time(0);
    }
    // Scan one cycle from the base time; a run may wrap into the next cycle.
    Time best(0);
    Time t = m_baseTime;
    const Time end = m_baseTime + m_cycleTime;
    while (t < end)
    {
        if (GetGateStates(t) & (1u << tc))
        {
            const Time close = GetCloseTime(tc, t);
            if (close == Time::Max())
            {
                return Time::Max();
            }
            best = std::max(best, close - t);
        }
        t = GetNextBoundary(t);
    }
    return best;
}

} // namespace ns3
