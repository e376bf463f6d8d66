#ifndef FABTWIN_ADDBA_PENDING_GUARD_H
#define FABTWIN_ADDBA_PENDING_GUARD_H

#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/originator-block-ack-agreement.h"
#include "ns3/qos-txop.h"
#include "ns3/traced-callback.h"
#include "ns3/wifi-mac.h"

#include <cstdint>
#include <map>
#include <tuple>

namespace ns3
{

/**
 * @brief Releases Block Ack agreements that ns-3 3.44 leaves pending with no ADDBA Request sent.
 *
 * An originator's ADDBA handshake (IEEE 802.11-2020 11.5.2) starts when its first QoS Data frame
 * for a (recipient, TID) is due. ns-3 3.44 records the agreement as pending *before* it checks
 * that the ADDBA Request fits in the time left (HtFrameExchangeManager::SendAddBaRequest); when
 * it does not (a TXOP continued with 26 us left, seen at a loaded AP), the request is never sent,
 * the ADDBA response timeout (armed by the request's Ack) never runs, and every later frame for
 * that recipient and TID waits behind the pending agreement until its lifetime ends. In the
 * machine-tending workcell under best-effort load this silenced the PLC's commands to one
 * machine for a whole run, and the cell stalled.
 *
 * The guard watches each originator agreement of the MACs it is installed on; one still pending
 * after MaxPending is treated as an ADDBA Request that got no response: QosTxop's own
 * AddBaResponseTimeout marks it "no reply" (frames go with normal acknowledgment) and later
 * resets it, so a new handshake is tried. A sent request is answered or times out within
 * milliseconds, so MaxPending only has to exceed that.
 */
class AddBaPendingGuard : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    AddBaPendingGuard();

    /**
     * Watch the originator agreements of every AC of @p mac.
     * @param mac a QoS MAC (station or AP)
     */
    void Install(Ptr<WifiMac> mac);

    /// @return how many pending agreements the guard has released so far
    uint32_t GetReleased() const;

    /**
     * TracedCallback signature for a released agreement.
     * @param [in] originator the MAC address of the originator
     * @param [in] recipient the MAC address of the recipient
     * @param [in] tid the TID
     */
    typedef void (*ReleasedTracedCallback)(Mac48Address originator,
                                           Mac48Address recipient,
                                           uint8_t tid);

  private:
    void DoDispose() override;
    /// The AgreementState trace of one QosTxop's Block Ack manager.
    void OnState(Ptr<QosTxop> txop,
                 Mac48Address originator,
                 Time now,
                 Mac48Address recipient,
                 uint8_t tid,
                 OriginatorBlockAckAgreement::State state);
    /// MaxPending after an agreement turned pending: release it if it still is.
    void Check(Ptr<QosTxop> txop, Mac48Address originator, Mac48Address recipient, uint8_t tid);

    Time m_maxPending; ///< longest time an agreement may stay pending
    uint32_t m_released{0};
    /// The check scheduled for each (originator, recipient, TID) agreement while it is pending.
    std::map<std::tuple<Mac48Address, Mac48Address, uint8_t>, EventId> m_checks;
    TracedCallback<Mac48Address, Mac48Address, uint8_t> m_releasedTrace; ///< "Released"
};

} // namespace ns3

#endif // FABTWIN_ADDBA_PENDING_GUARD_H
