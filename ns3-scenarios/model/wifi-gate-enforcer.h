#ifndef FABTWIN_WIFI_GATE_ENFORCER_H
#define FABTWIN_WIFI_GATE_ENFORCER_H

#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/qos-utils.h"
#include "ns3/traced-callback.h"
#include "ns3/wifi-mac.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @brief 802.1Qbv transmission gates enforced at a Wi-Fi MAC's channel access.
 *
 * A TimeAwareShaper above the MAC decides when a frame may enter the MAC queue (802.1Q-2018
 * 8.6.8.4: a frame is selected only if it can be transmitted before its gate closes). Once a
 * frame is in the MAC, however, the EDCA function of its access category transmits it whenever
 * it wins the medium, and retransmits it on its own after a failed exchange (802.11-2020
 * 10.23.2.12), so a frame admitted while its gate was open can still go on the air after the
 * gate closed, inside another station's protected window. This object closes the gate at the
 * MAC as well: when the gate of a traffic class closes, the MAC queues of its TID towards every
 * peer are blocked (ns-3 WifiMacQueueScheduler::BlockQueues), so no transmission or
 * retransmission of that TID *starts* while the gate is closed; frames keep their sequence
 * numbers and Block Ack state and go at the next opening, when the queues are unblocked and the
 * EDCA function is asked to contend again (802.11-2020 10.23.2.4). An exchange that started
 * before the close ends within the guard band that precedes every protected window (the
 * TsnConfigurator's GuardBand: the longest unscheduled exchange).
 *
 * IEEE 802.11-2020 as amended by 802.11ax-2021 defines no time-aware gating; the nearest
 * standard mechanisms are the TXOP limit (802.11-2020 10.23.2.9) and the restricted TWT service
 * periods of 802.11be. A Wi-Fi NIC that implements Qbv has to make the gate a condition of
 * channel access, not only of queue admission; ns-3 has no such hook, so the queue block stands
 * in for it.
 *
 * The block reason is WifiQueueBlockedReason::TID_NOT_MAPPED, the one reason ns-3 never sets or
 * clears on a single-link device (it serves 802.11be TID-to-link mapping): a closed gate makes
 * the TID "not mapped" to the link until it reopens. Block Ack Requests (the control queue of an
 * access category) are held while every gated TID of the AC is closed. Management frames
 * (ADDBA), Acks and beacons are not gated.
 */
class WifiGateEnforcer : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    WifiGateEnforcer();
    ~WifiGateEnforcer() override;

    /// @param mac the MAC whose queues the gates control
    void SetMac(Ptr<WifiMac> mac);
    /// @param peers receiver addresses of the node's unicast frames (AP: its stations; a
    ///        station: its AP)
    void SetPeers(const std::vector<Mac48Address>& peers);
    /**
     * @brief Map a traffic class to the TID its frames carry in the MAC.
     * @param tc traffic class (0..7)
     * @param tid TID (user priority, 0..7)
     */
    void SetTidOfTrafficClass(uint8_t tc, uint8_t tid);

    /**
     * @brief The shaper's gates changed (TimeAwareShaper "GateChange"): block the TIDs of the
     * classes that closed, unblock (and restart channel access for) those that opened.
     * @param before gate states before (bit i: traffic class i open)
     * @param after gate states now
     */
    void NotifyGateStates(uint8_t before, uint8_t after);

    /// @return TIDs currently blocked (bit i: TID i)
    uint8_t GetBlockedTids() const;

    /**
     * TracedCallback signature for a change of the blocked TIDs.
     * @param blocked TIDs blocked now (bit i: TID i)
     * @param held MPDUs of the TIDs just blocked that stay in the MAC queue until the reopening
     */
    typedef void (*BlockedTracedCallback)(uint8_t blocked, uint32_t held);

  protected:
    void DoDispose() override;

  private:
    /// Block (or unblock) one TID towards every peer.
    void SetBlocked(uint8_t tid, bool block);
    /// Block (or unblock) the control queue (Block Ack Requests) of an AC towards every peer.
    void SetControlBlocked(AcIndex ac, bool block);
    /// @return MPDUs of a TID queued in the MAC towards the peers
    uint32_t QueuedMpdus(uint8_t tid) const;

    bool m_enabled{true};               ///< attribute Enabled
    Ptr<WifiMac> m_mac;                 ///< the MAC
    std::vector<Mac48Address> m_peers;  ///< receivers of the node's unicast frames
    std::array<uint8_t, 8> m_tidOfTc{}; ///< TID per traffic class
    uint8_t m_blocked{0};               ///< TIDs blocked now
    uint8_t m_blockedAcs{0};            ///< ACs whose Block Ack Requests are held (bit i: AC i)
    TracedCallback<uint8_t, uint32_t> m_blockedTrace; ///< changes of the blocked TIDs
};

} // namespace ns3

#endif // FABTWIN_WIFI_GATE_ENFORCER_H
