#ifndef FABTWIN_LATENCY_SPLIT_TRACKER_H
#define FABTWIN_LATENCY_SPLIT_TRACKER_H

#include "ns3/nstime.h"
#include "ns3/wifi-ppdu.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{

/// The latency of one delivered packet split into its parts, summed over hops (docs/wifi.md).
struct LatencySplit
{
    int64_t queueNs{0};  ///< waiting behind earlier frames of the same node and AC
    int64_t accessNs{0}; ///< contending for the medium, before the first and between attempts
    int64_t airNs{0};    ///< on the air: the PPDU durations of every attempt
    uint32_t retries{0}; ///< attempts beyond the first
};

/**
 * @brief Splits the one-way latency of Wi-Fi packets into queueing, channel access and airtime
 * from three events per hop: the MAC queue's enqueue, the start of every PPDU that carries the
 * packet (PhyTxPsduBegin) and the delivery.
 *
 * Per hop, with t_enq the enqueue at the hop's transmitter, t_1 the start of the first PPDU
 * carrying the packet and t_prev the end of the transmitter's previous data PPDU of the same
 * access category: queue = clamp(t_prev - t_enq, 0, t_1 - t_enq); access = t_1 - t_enq - queue
 * plus, for every retransmission, the gap between the end of the failed PPDU and the start of
 * the next; air = the sum of the PPDU durations (WifiPhy::CalculateTxDuration of the whole
 * PSDU map). latency - (queue + access + air) is, per hop, the delivery time minus the end of
 * the last PPDU: the propagation delay, less the PPDU's tail after the packet's MPDU when ns-3
 * delivers an A-MPDU's MPDUs as they end.
 *
 * Packets are keyed by the twin's global sequence number (or flow and per-flow sequence number
 * in standalone mode) in an open ring that grows only when more packets are in flight than it
 * holds: no per-packet allocation.
 */
class LatencySplitTracker
{
  public:
    /**
     * Forgets everything.
     * @param nNodes number of nodes of the cell
     * @param nFlows number of flows of the cell
     * @param globalSeq whether sequence numbers are global (lockstep) or per flow (standalone)
     */
    void Reset(uint32_t nNodes, uint32_t nFlows, bool globalSeq);

    /**
     * A packet entered the MAC queue of the transmitter of one of its hops.
     * @param flow the packet's flow
     * @param seq its sequence number
     * @param firstHop true at the flow's source (a new packet), false at a relay
     * @param now the simulation time
     */
    void NotifyEnqueue(uint32_t flow, uint32_t seq, bool firstHop, Time now);

    /**
     * A PPDU starts (PhyTxPsduBegin).
     * @param node the transmitting node
     * @param psdus the PSDUs of the PPDU
     * @param duration the PPDU's duration
     * @param now the simulation time (its start)
     */
    void NotifyPpdu(uint32_t node, const WifiConstPsduMap& psdus, Time duration, Time now);

    /**
     * The packet was delivered: returns its split and forgets it.
     * @param flow the packet's flow
     * @param seq its sequence number
     * @return the split, if the packet was seen on the air
     */
    std::optional<LatencySplit> Take(uint32_t flow, uint32_t seq);

    /**
     * The packet was dropped: forgets it.
     * @param flow the packet's flow
     * @param seq its sequence number
     */
    void Forget(uint32_t flow, uint32_t seq);

    /// @return the number of slots of the ring (grows with the packets in flight)
    std::size_t Capacity() const;

  private:
    static constexpr uint64_t kEmpty = UINT64_MAX;

    /// One packet in flight.
    struct Entry
    {
        uint64_t key{kEmpty};
        int64_t hopEnqNs{0};      ///< enqueue at this hop's transmitter
        int64_t hopFirstTxNs{-1}; ///< start of this hop's first PPDU, -1 before it
        int64_t lastTxEndNs{0};   ///< end of the last PPDU that carried it
        LatencySplit split;       ///< accumulated over hops
    };

    uint64_t Key(uint32_t flow, uint32_t seq) const;
    Entry* Find(uint64_t key);
    Entry& Insert(uint64_t key);
    void Grow();

    std::vector<Entry> m_ring{std::vector<Entry>(1024)};
    uint32_t m_nFlows{1};
    bool m_globalSeq{true};
    std::vector<std::array<int64_t, 4>> m_lastPpduEndNs; ///< per node, per AC
};

} // namespace ns3

#endif // FABTWIN_LATENCY_SPLIT_TRACKER_H
