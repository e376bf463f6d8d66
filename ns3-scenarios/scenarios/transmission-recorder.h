#ifndef FABTWIN_TRANSMISSION_RECORDER_H
#define FABTWIN_TRANSMISSION_RECORDER_H

#include "../model/twin-protocol.h"

#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-ppdu.h"
#include "ns3/wifi-tx-vector.h"

#include <deque>
#include <map>
#include <vector>

namespace ns3
{

/**
 * @brief Every PPDU the cell's Wi-Fi nodes put on the air, as TransmissionRecords (REPORT frame
 * 4, "report: {transmissions: true}" in the cell description; docs/tsn.md).
 *
 * Start and duration come from WifiPhy's PhyTxPsduBegin trace (the PPDU start, fired by
 * WifiPhy::Send) and WifiPhy::CalculateTxDuration of the whole PSDU map (preamble included); the
 * kind from the MPDUs' headers and tags; ok is set when the intended receiver's PHY reports a
 * successfully received MPDU of it (MonitorSnifferRx at the PPDU end), broadcasts are ok. A PPDU
 * is reported in the step in which it ends (plus 1 us for propagation and reception).
 */
class TransmissionRecorder
{
  public:
    /**
     * @param devices the Wi-Fi devices, by node
     * @param numFlows number of twin flows (FlowTags beyond are ignored)
     */
    TransmissionRecorder(std::vector<Ptr<WifiNetDevice>> devices, uint32_t numFlows);

    /**
     * Connects the traces; PPDUs from now on are recorded.
     * @param t0 simulation time of twin time 0
     */
    void Start(Time t0);

    /**
     * @param until simulation time now (the end of the step)
     * @return the records of PPDUs that ended (+1 us) by until, in start order; they are
     *         removed
     */
    std::vector<twinproto::TransmissionRecord> Collect(Time until);

  private:
    /// A PPDU on the air or not yet reported.
    struct Pending
    {
        twinproto::TransmissionRecord rec; ///< the record (ok filled in on reception)
        Time end;                          ///< simulation time of the PPDU end
        uint32_t receiver;                 ///< intended receiver node (UINT32_MAX: none known)
    };

    void OnTx(uint32_t node, WifiConstPsduMap psdus, WifiTxVector txVector);
    void OnRx(uint32_t node);

    std::vector<Ptr<WifiNetDevice>> m_devices;
    uint32_t m_numFlows;
    std::map<Mac48Address, uint32_t> m_nodeOf;
    std::deque<Pending> m_pending;
    Time m_t0;
};

} // namespace ns3

#endif // FABTWIN_TRANSMISSION_RECORDER_H
