#include "time-aware-shaper.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TimeAwareShaper");
NS_OBJECT_ENSURE_REGISTERED(TimeAwareShaper);

TypeId
TimeAwareShaper::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TimeAwareShaper")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<TimeAwareShaper>()
            .AddAttribute("NumTrafficClasses",
                          "Number of traffic classes, i.e. queues and gates (802.1Q: 1 to 8).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&TimeAwareShaper::m_numTc),
                          MakeUintegerChecker<uint32_t>(1, 8))
            .AddAttribute("MaxFrames",
                          "Capacity of each traffic-class queue, in frames (tail drop).",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&TimeAwareShaper::m_maxFrames),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("GateChange",
                            "The gate states changed: old, new.",
                            MakeTraceSourceAccessor(&TimeAwareShaper::m_gateTrace),
                            "ns3::TimeAwareShaper::GateTracedCallback")
            .AddTraceSource("FrameSent",
                            "A frame was handed to the device: packet, tc, duration, queued.",
                            MakeTraceSourceAccessor(&TimeAwareShaper::m_sentTrace),
                            "ns3::TimeAwareShaper::FrameSentTracedCallback")
            .AddTraceSource("Drop",
                            "A frame was dropped (queue full, or longer than any window).",
                            MakeTraceSourceAccessor(&TimeAwareShaper::m_dropTrace),
                            "ns3::TimeAwareShaper::DropTracedCallback");
    return tid;
}

TimeAwareShaper::TimeAwareShaper()
{
    NS_LOG_FUNCTION(this);
}

TimeAwareShaper::~TimeAwareShaper() = default;

void
TimeAwareShaper::DoDispose()
{
    m_gateEvent.Cancel();
    m_sendEvent.Cancel();
    if (m_clock && m_running)
    {
        m_clock->TraceDisconnectWithoutContext(
            "Correction", MakeCallback(&TimeAwareShaper::ClockCorrected, this));
    }
    m_clock = nullptr;
    m_gcl = nullptr;
    m_queues.clear();
    m_duration = FrameDurationCallback();
    m_output = OutputCallback();
    m_ready = PortReadyCallback();
    Object::DoDispose();
}

void
TimeAwareShaper::SetClock(Ptr<LocalClock> clock)
{
    NS_ABORT_MSG_IF(m_running, "TimeAwareShaper: set the clock before Start()");
    m_clock = clock;
}

void
TimeAwareShaper::SetGateControlList(Ptr<GateControlList> gcl)
{
    std::string reason;
    NS_ABORT_MSG_IF(!gcl->Validate(&reason),
                    "TimeAwareShaper: invalid gate control list: " << reason);
    m_gcl = gcl;
    m_maxOpen.assign(8, Time(0));
    for (uint8_t tc = 0; tc < 8; ++tc)
    {
        m_maxOpen[tc] = gcl->GetMaxOpenDuration(tc);
    }
    if (m_running)
    {
        m_gateEvent.Cancel();
        GateEvent();
    }
}

Ptr<GateControlList>
TimeAwareShaper::GetGateControlList() const
{
    return m_gcl;
}

void
TimeAwareShaper::SetFrameDurationCallback(FrameDurationCallback cb)
{
    m_duration = cb;
}

void
TimeAwareShaper::SetOutputCallback(OutputCallback cb)
{
    m_output = cb;
}

void
TimeAwareShaper::SetPortReadyCallback(PortReadyCallback cb)
{
    m_ready = cb;
}

void
TimeAwareShaper::NotifyPortReady()
{
    if (m_running)
    {
        TrySend();
    }
}

void
TimeAwareShaper::Requeue(Ptr<Packet> packet,
                         const Address& dest,
                         uint16_t protocolNumber,
                         uint8_t tc)
{
    NS_ABORT_MSG_IF(!m_running, "TimeAwareShaper: Requeue before Start()");
    NS_ABORT_MSG_IF(tc >= m_numTc, "TimeAwareShaper: traffic class " << +tc << " out of range");
    m_queues[tc].push_front(Item{packet, dest, protocolNumber, Simulator::Now()});
}

std::vector<Ptr<Packet>>
TimeAwareShaper::RemoveIf(uint8_t tc, Callback<bool, Ptr<const Packet>> select)
{
    std::vector<Ptr<Packet>> removed;
    if (tc >= m_queues.size())
    {
        return removed;
    }
    auto& q = m_queues[tc];
    for (auto it = q.begin(); it != q.end();)
    {
        if (select(it->packet))
        {
            removed.push_back(it->packet);
            it = q.erase(it);
        }
        else
        {
            ++it;
        }
    }
    return removed;
}

void
TimeAwareShaper::Start()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_clock, "TimeAwareShaper: no LocalClock (SetClock)");
    NS_ABORT_MSG_IF(!m_gcl, "TimeAwareShaper: no gate control list");
    NS_ABORT_MSG_IF(m_duration.IsNull(), "TimeAwareShaper: no frame-duration callback");
    NS_ABORT_MSG_IF(m_output.IsNull(), "TimeAwareShaper: no output callback");
    if (m_running)
    {
        return;
    }
    m_running = true;
    m_queues.resize(m_numTc);
    m_states = m_gcl->GetGateStates(m_clock->GetSynchronizedTime());
    m_clock->TraceConnectWithoutContext("Correction",
                                        MakeCallback(&TimeAwareShaper::ClockCorrected, this));
    GateEvent();
}

void
TimeAwareShaper::GateEvent()
{
    const Time s = m_clock->GetSynchronizedTime();
    const uint8_t states = m_gcl->GetGateStates(s);
    if (states != m_states)
    {
        NS_LOG_DEBUG("gates " << +m_states << " -> " << +states << " at synchronized " << s);
        m_gateTrace(m_states, states);
        m_states = states;
    }
    TrySend();
    const Time next = m_gcl->GetNextBoundary(s);
    m_gateEvent.Cancel();
    if (next != Time::Max())
    {
        const Time at = m_clock->GetSimTimeAtSynchronized(next);
        m_gateEvent = Simulator::Schedule(at - Simulator::Now(), &TimeAwareShaper::GateEvent, this);
    }
}

void
TimeAwareShaper::ClockCorrected(Time /* step */, double /* rateRatio */)
{
    if (m_running)
    {
        GateEvent();
    }
}

bool
TimeAwareShaper::Enqueue(Ptr<Packet> packet,
                         const Address& dest,
                         uint16_t protocolNumber,
                         uint8_t tc)
{
    NS_ABORT_MSG_IF(!m_running, "TimeAwareShaper: Enqueue before Start()");
    NS_ABORT_MSG_IF(tc >= m_numTc, "TimeAwareShaper: traffic class " << +tc << " out of range");
    if (m_queues[tc].size() >= m_maxFrames)
    {
        m_dropTrace(packet, tc);
        return false;
    }
    m_queues[tc].push_back(Item{packet, dest, protocolNumber, Simulator::Now()});
    TrySend();
    return true;
}

bool
TimeAwareShaper::IsRunning() const
{
    return m_running;
}

void
TimeAwareShaper::TrySend()
{
    const Time now = Simulator::Now();
    if (m_ready.IsNull() && now < m_busyUntil)
    {
        return; // the end-of-transmission event will select again
    }
    const Time s = m_clock->GetSynchronizedTime();
    for (int tc = static_cast<int>(m_numTc) - 1; tc >= 0; --tc)
    {
        auto& q = m_queues[tc];
        while (!q.empty())
        {
            const Item& head = q.front();
            const Time d = m_duration(head.packet, tc);
            if (d > m_maxOpen[tc])
            {
                NS_LOG_WARN("frame of tc " << tc << " needs " << d << ", longer than any window");
                m_dropTrace(head.packet, tc);
                q.pop_front();
                continue;
            }
            if (!(m_gcl->GetGateStates(s) & (1u << tc)))
            {
                break; // gate closed
            }
            const Time close = m_gcl->GetCloseTime(tc, s);
            if (close != Time::Max() && now + d > m_clock->GetSimTimeAtSynchronized(close))
            {
                break; // 8.6.8.4: it would not finish before the gate closes
            }
            if (!m_ready.IsNull() && !m_ready(tc))
            {
                break; // the device's queue for this class is occupied
            }
            Item item = head;
            q.pop_front();
            NS_LOG_DEBUG("tc " << tc << " frame of " << d << " released, queued "
                               << now - item.enqueued);
            m_sentTrace(item.packet, tc, d, now - item.enqueued);
            if (!m_ready.IsNull())
            {
                // Admission mode: the device's own queue tells when it can take the next one.
                m_output(item.packet, item.dest, item.protocol, tc);
                continue;
            }
            m_busyUntil = now + d;
            m_sendEvent = Simulator::Schedule(d, &TimeAwareShaper::TrySend, this);
            m_output(item.packet, item.dest, item.protocol, tc);
            return;
        }
    }
}

uint32_t
TimeAwareShaper::GetQueueLength(uint8_t tc) const
{
    return tc < m_queues.size() ? m_queues[tc].size() : 0;
}

uint8_t
TimeAwareShaper::GetCurrentGateStates() const
{
    return m_states;
}

} // namespace ns3
