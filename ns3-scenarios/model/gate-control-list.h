#ifndef FABTWIN_GATE_CONTROL_LIST_H
#define FABTWIN_GATE_CONTROL_LIST_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief An IEEE 802.1Qbv gate control list (802.1Q-2018 8.6.8.4 and 8.6.9; managed objects
 * AdminBaseTime, AdminCycleTime, AdminControlList of 12.29): a cycle of entries, each a
 * gate-state bitmask (bit i = transmission gate of traffic class i, 1 = open) held for a time
 * interval.
 *
 * Times are on the schedule's time base, the node's synchronized time. Cycles start at
 * BaseTime + N * CycleTime (N >= 0) (8.6.9.1). Before BaseTime the gates are in
 * InitialGateStates (AdminGateStates). When the entries sum to less than the cycle, the last
 * entry's gate states hold until the cycle ends (8.6.9.2). A list whose entries sum to more than
 * the cycle would be truncated at the cycle end by 802.1Q; Validate() rejects it instead, since
 * a truncated window is almost always a configuration error.
 */
class GateControlList : public Object
{
  public:
    /// One entry: SetGateStates(gateStates) held for duration (Table 8-7).
    struct Entry
    {
        uint8_t gateStates; ///< bit i: gate of traffic class i open
        Time duration;      ///< time interval of the entry
    };

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    GateControlList();
    ~GateControlList() override;

    /**
     * @param gateStates bitmask of open gates
     * @param duration how long they stay so
     */
    void AddEntry(uint8_t gateStates, Time duration);
    /// @brief Remove all entries.
    void Clear();
    /// @return the entries
    const std::vector<Entry>& GetEntries() const;
    /// @param cycleTime the cycle time
    void SetCycleTime(Time cycleTime);
    /// @return the cycle time
    Time GetCycleTime() const;
    /// @param baseTime the base time (schedule time base)
    void SetBaseTime(Time baseTime);
    /// @return the base time
    Time GetBaseTime() const;

    /**
     * @param reason if not null and the list is invalid, why
     * @return true if the list can be executed
     */
    bool Validate(std::string* reason = nullptr) const;

    /**
     * @param t a time on the schedule's time base
     * @return the gate states in effect at t
     */
    uint8_t GetGateStates(Time t) const;
    /**
     * @param t a time
     * @return the first entry boundary (or cycle start) strictly after t
     */
    Time GetNextBoundary(Time t) const;
    /**
     * @param tc a traffic class
     * @param t a time at which its gate is open
     * @return when its gate closes next (Time::Max() if it never closes)
     */
    Time GetCloseTime(uint8_t tc, Time t) const;
    /**
     * @param tc a traffic class
     * @return the longest uninterrupted time its gate is open (Time::Max() if always open)
     */
    Time GetMaxOpenDuration(uint8_t tc) const;

  private:
    /// @return position of t within its cycle, in ns (t >= base)
    int64_t PositionInCycle(Time t) const;

    Time m_cycleTime;             ///< OperCycleTime
    Time m_baseTime;              ///< OperBaseTime
    uint8_t m_initialGateStates;  ///< gate states before the base time
    std::vector<Entry> m_entries; ///< OperControlList
};

} // namespace ns3

#endif // FABTWIN_GATE_CONTROL_LIST_H
