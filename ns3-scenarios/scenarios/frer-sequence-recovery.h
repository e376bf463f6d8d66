#ifndef FABTWIN_FRER_SEQUENCE_RECOVERY_H
#define FABTWIN_FRER_SEQUENCE_RECOVERY_H

#include <cstdint>
#include <map>
#include <utility>

namespace ns3
{

/**
 * @brief Duplicate elimination at the receiver of a flow sent over several radios, in the style of
 * IEEE 802.1CB-2017 Frame Replication and Elimination for Reliability (FRER): the sender gives
 * every copy the same sequence number (the twin's (flow, seq), carried by FlowTag, stands in for
 * the R-TAG of §7.8), the receiver's sequence recovery function (§7.4.3) passes the first copy and
 * discards the later ones.
 *
 * Unlike 802.1CB's history window (VectorRecoveryAlgorithm, §7.4.3.4) the recovery here tracks
 * each packet until every copy is accounted for (delivered, eliminated or lost), so it also knows
 * when a packet is lost on every path: only then is a drop reported. Copies that vanish without a
 * trace keep their entry (bounded by the packets in flight of the duplicated flows).
 */
class FrerSequenceRecovery
{
  public:
    /// What to do with an arriving copy.
    enum class Outcome : uint8_t
    {
        DELIVER,  ///< the first copy: pass it up
        ELIMINATE ///< a later copy: discard and count it
    };

    /**
     * @brief The sender replicated a packet.
     * @param flow flow id
     * @param seq sequence number
     * @param copies number of member streams it was sent on (>= 1)
     */
    void Sent(uint32_t flow, uint32_t seq, uint8_t copies);
    /**
     * @brief A copy arrived at the receiver.
     * @param flow flow id
     * @param seq sequence number
     * @return DELIVER for the first copy (or a packet never registered), else ELIMINATE
     */
    Outcome Received(uint32_t flow, uint32_t seq);
    /**
     * @brief A copy was dropped on its path.
     * @param flow flow id
     * @param seq sequence number
     * @return true if that was the last copy and none was delivered: the packet is lost
     */
    bool Lost(uint32_t flow, uint32_t seq);
    /// @return later copies discarded so far
    uint64_t GetEliminated() const;
    /// @return packets with copies still unaccounted for
    std::size_t GetTracked() const;

  private:
    /// Recovery state of one packet.
    struct State
    {
        uint8_t outstanding{0}; ///< copies neither received nor lost
        bool delivered{false};  ///< a copy was passed up
    };

    /// @param it the packet's entry: erased once every copy is accounted for
    void Settle(std::map<std::pair<uint32_t, uint32_t>, State>::iterator it);

    std::map<std::pair<uint32_t, uint32_t>, State> m_packets; ///< (flow, seq) -> state
    uint64_t m_eliminated{0};                                 ///< discarded later copies
};

} // namespace ns3

#endif // FABTWIN_FRER_SEQUENCE_RECOVERY_H
