#include "frer-sequence-recovery.h"

namespace ns3
{

void
FrerSequenceRecovery::Sent(uint32_t flow, uint32_t seq, uint8_t copies)
{
    m_packets[{flow, seq}] = State{copies, false};
}

void
FrerSequenceRecovery::Settle(std::map<std::pair<uint32_t, uint32_t>, State>::iterator it)
{
    if (it->second.outstanding == 0)
    {
        m_packets.erase(it);
    }
}

FrerSequenceRecovery::Outcome
FrerSequenceRecovery::Received(uint32_t flow, uint32_t seq)
{
    auto it = m_packets.find({flow, seq});
    if (it == m_packets.end())
    {
        return Outcome::DELIVER; // not replicated (or already settled: cannot happen)
    }
    State& s = it->second;
    s.outstanding = s.outstanding > 0 ? s.outstanding - 1 : 0;
    const bool first = !s.delivered;
    s.delivered = true;
    Settle(it);
    if (first)
    {
        return Outcome::DELIVER;
    }
    ++m_eliminated;
    return Outcome::ELIMINATE;
}

bool
FrerSequenceRecovery::Lost(uint32_t flow, uint32_t seq)
{
    auto it = m_packets.find({flow, seq});
    if (it == m_packets.end())
    {
        return true;
    }
    State& s = it->second;
    s.outstanding = s.outstanding > 0 ? s.outstanding - 1 : 0;
    const bool lost = s.outstanding == 0 && !s.delivered;
    Settle(it);
    return lost;
}

uint64_t
FrerSequenceRecovery::GetEliminated() const
{
    return m_eliminated;
}

std::size_t
FrerSequenceRecovery::GetTracked() const
{
    return m_packets.size();
}

} // namespace ns3
