#include "local-clock.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LocalClock");
NS_OBJECT_ENSURE_REGISTERED(LocalClock);

TypeId
LocalClock::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LocalClock")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<LocalClock>()
            .AddAttribute("FrequencyOffset",
                          "Frequency offset of the free-running oscillator in ppm, drawn once per "
                          "clock (IEEE 802.1AS-2020 Annex B.1.1 allows +/-100 ppm).",
                          StringValue("ns3::UniformRandomVariable[Min=-100.0|Max=100.0]"),
                          MakePointerAccessor(&LocalClock::m_frequencyOffset),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute(
                "Wander",
                "Random-walk step of the frequency offset in ppm, one draw per "
                "WanderInterval. A bounded stream gives a bounded drift rate.",
                StringValue("ns3::NormalRandomVariable[Mean=0.0|Variance=1e-6|Bound=0.003]"),
                MakePointerAccessor(&LocalClock::m_wander),
                MakePointerChecker<RandomVariableStream>())
            .AddAttribute("WanderInterval",
                          "Time between two wander steps; 0 disables wander.",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&LocalClock::m_wanderInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("InitialPhase",
                          "Local time at simulation time 0, in ns.",
                          StringValue("ns3::ConstantRandomVariable[Constant=0.0]"),
                          MakePointerAccessor(&LocalClock::m_initialPhase),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("Granularity",
                          "Timestamp granularity (IEEE 802.1AS-2020 Annex B.1.2: at most 40 ns).",
                          TimeValue(NanoSeconds(8)),
                          MakeTimeAccessor(&LocalClock::m_granularity),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("HistoryLength",
                          "How far in the past local time can still be queried.",
                          TimeValue(Seconds(2)),
                          MakeTimeAccessor(&LocalClock::m_history),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("Correction",
                            "The synchronized time was re-anchored: step (now) and rate ratio.",
                            MakeTraceSourceAccessor(&LocalClock::m_correctionTrace),
                            "ns3::LocalClock::CorrectionTracedCallback");
    return tid;
}

LocalClock::LocalClock()
{
    NS_LOG_FUNCTION(this);
}

LocalClock::~LocalClock() = default;

void
LocalClock::DoDispose()
{
    m_frequencyOffset = nullptr;
    m_wander = nullptr;
    m_initialPhase = nullptr;
    m_segments.clear();
    Object::DoDispose();
}

int64_t
LocalClock::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_frequencyOffset->SetStream(stream);
    m_wander->SetStream(stream + 1);
    m_initialPhase->SetStream(stream + 2);
    return 3;
}

int64_t
LocalClock::SegmentNs() const
{
    return m_wanderInterval.GetNanoSeconds();
}

void
LocalClock::Start()
{
    if (m_started)
    {
        return;
    }
    m_started = true;
    m_initialPpm = m_frequencyOffset->GetValue();
    NS_ABORT_MSG_IF(std::abs(m_initialPpm) >= 1e5,
                    "LocalClock::FrequencyOffset drew " << m_initialPpm << " ppm (not a clock)");
    m_segments.push_back(Segment{0, m_initialPhase->GetValue(), 1.0 + m_initialPpm * 1e-6});
    NS_LOG_DEBUG("clock " << this << " starts at " << m_segments.back().localStartNs << " ns, "
                          << m_initialPpm << " ppm");
}

void
LocalClock::AppendSegment()
{
    const Segment& last = m_segments.back();
    const int64_t len = SegmentNs();
    double ppm = (last.rate - 1.0) * 1e6 + m_wander->GetValue();
    m_segments.push_back(Segment{last.simStartNs + len,
                                 last.localStartNs + static_cast<double>(len) * last.rate,
                                 1.0 + ppm * 1e-6});
}

void
LocalClock::Prune()
{
    const int64_t keepFrom = Simulator::Now().GetNanoSeconds() - m_history.GetNanoSeconds();
    while (m_segments.size() > 1 && m_segments[1].simStartNs <= keepFrom)
    {
        m_segments.pop_front();
    }
}

const LocalClock::Segment&
LocalClock::SegmentAtSim(int64_t simNs)
{
    Start();
    if (SegmentNs() <= 0)
    {
        return m_segments.front();
    }
    Prune();
    NS_ABORT_MSG_IF(simNs < m_segments.front().simStartNs,
                    "LocalClock: query at " << simNs << " ns is older than the retained history");
    while (m_segments.back().simStartNs + SegmentNs() <= simNs)
    {
        AppendSegment();
    }
    auto it = std::upper_bound(m_segments.begin(),
                               m_segments.end(),
                               simNs,
                               [](int64_t t, const Segment& s) { return t < s.simStartNs; });
    return *(it - 1);
}

double
LocalClock::GetLocalTimeNs(Time simTime)
{
    const int64_t t = simTime.GetNanoSeconds();
    const Segment& s = SegmentAtSim(t);
    return s.localStartNs + static_cast<double>(t - s.simStartNs) * s.rate;
}

Time
LocalClock::GetLocalTime(Time simTime)
{
    return NanoSeconds(std::llround(GetLocalTimeNs(simTime)));
}

Time
LocalClock::GetLocalTime()
{
    return GetLocalTime(Simulator::Now());
}

Time
LocalClock::GetTimestamp(Time simTime)
{
    const double g = static_cast<double>(m_granularity.GetNanoSeconds());
    return NanoSeconds(static_cast<int64_t>(std::floor(GetLocalTimeNs(simTime) / g) * g));
}

Time
LocalClock::GetTimestamp()
{
    return GetTimestamp(Simulator::Now());
}

Time
LocalClock::GetSimTime(Time localTime)
{
    Start();
    const double target = static_cast<double>(localTime.GetNanoSeconds());
    Prune();
    NS_ABORT_MSG_IF(target < m_segments.front().localStartNs,
                    "LocalClock: local time " << localTime
                                              << " is older than the retained history");
    // Find the segment in which local time reaches target, drawing segments as needed.
    size_t i = 0;
    if (SegmentNs() > 0)
    {
        const double len = static_cast<double>(SegmentNs());
        while (true)
        {
            for (; i < m_segments.size(); ++i)
            {
                const Segment& s = m_segments[i];
                if (s.localStartNs + len * s.rate > target)
                {
                    break;
                }
            }
            if (i < m_segments.size())
            {
                break;
            }
            AppendSegment();
            i = m_segments.size() - 1;
        }
    }
    const Segment& s = m_segments[i];
    auto t = static_cast<int64_t>(
        std::ceil(static_cast<double>(s.simStartNs) + (target - s.localStartNs) / s.rate));
    t = std::max<int64_t>(t, s.simStartNs);
    // Guard against floating-point rounding: the clock must have reached target at t.
    while (GetLocalTimeNs(NanoSeconds(t)) < target)
    {
        ++t;
    }
    return NanoSeconds(t);
}

double
LocalClock::GetFrequencyOffsetPpm()
{
    return (SegmentAtSim(Simulator::Now().GetNanoSeconds()).rate - 1.0) * 1e6;
}

double
LocalClock::GetInitialFrequencyOffsetPpm()
{
    Start();
    return m_initialPpm;
}

Time
LocalClock::GetGranularity() const
{
    return m_granularity;
}

void
LocalClock::SetSyncCorrection(Time localRef, Time syncRef, double rateRatio)
{
    NS_LOG_FUNCTION(this << localRef << syncRef << rateRatio);
    NS_ABORT_MSG_IF(rateRatio <= 0.0, "LocalClock: rate ratio must be positive");
    const double before = GetSynchronizedTimeNs(Simulator::Now());
    m_synced = true;
    m_localRefNs = static_cast<double>(localRef.GetNanoSeconds());
    m_syncRefNs = static_cast<double>(syncRef.GetNanoSeconds());
    m_rateRatio = rateRatio;
    const double after = GetSynchronizedTimeNs(Simulator::Now());
    m_correctionTrace(NanoSeconds(std::llround(after - before)), rateRatio);
}

void
LocalClock::ResetSync()
{
    const double before = GetSynchronizedTimeNs(Simulator::Now());
    m_synced = false;
    m_rateRatio = 1.0;
    const double after = GetSynchronizedTimeNs(Simulator::Now());
    m_correctionTrace(NanoSeconds(std::llround(after - before)), 1.0);
}

bool
LocalClock::IsSynchronized() const
{
    return m_synced;
}

double
LocalClock::GetRateRatio() const
{
    return m_rateRatio;
}

double
LocalClock::GetSynchronizedTimeNs(Time simTime)
{
    const double l = GetLocalTimeNs(simTime);
    if (!m_synced)
    {
        return l;
    }
    return m_syncRefNs + (l - m_localRefNs) * m_rateRatio;
}

Time
LocalClock::GetSynchronizedTime(Time simTime)
{
    return NanoSeconds(std::llround(GetSynchronizedTimeNs(simTime)));
}

Time
LocalClock::GetSynchronizedTime()
{
    return GetSynchronizedTime(Simulator::Now());
}

Time
LocalClock::LocalToSynchronized(Time localTime) const
{
    if (!m_synced)
    {
        return localTime;
    }
    return NanoSeconds(std::llround(
        m_syncRefNs +
        (static_cast<double>(localTime.GetNanoSeconds()) - m_localRefNs) * m_rateRatio));
}

Time
LocalClock::GetSimTimeAtSynchronized(Time syncTime)
{
    const double s = static_cast<double>(syncTime.GetNanoSeconds());
    double l = s;
    if (m_synced)
    {
        l = m_localRefNs + (s - m_syncRefNs) / m_rateRatio;
    }
    if (l <= GetLocalTimeNs(Simulator::Now()))
    {
        return Simulator::Now();
    }
    Time t = GetSimTime(NanoSeconds(static_cast<int64_t>(std::ceil(l))));
    // Never earlier than now; and make sure the synchronized time has reached syncTime.
    t = std::max(t, Simulator::Now());
    while (GetSynchronizedTimeNs(t) < s)
    {
        t += NanoSeconds(1);
    }
    return t;
}

} // namespace ns3
