#ifndef FABTWIN_PHY_BUSY_TRACKER_H
#define FABTWIN_PHY_BUSY_TRACKER_H

#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/wifi-phy-listener.h"

#include <memory>

namespace ns3
{

class WifiPhy;

/**
 * @brief Measures how long a WifiPhy senses the medium busy: the union of its TX, RX and
 * primary-channel CCA-busy periods.
 *
 * It is a WifiPhyListener (the interface ns-3's ChannelAccessManager uses), so it learns each
 * busy period when it starts, with its expected end, and the busy time up to "now" is exact at any
 * moment, also in the middle of a PPDU or a CCA-busy period. ns-3's "State" trace of
 * WifiPhyStateHelper reports a CCA-busy or RX period only when it is over, which would shift busy
 * time into the next report.
 *
 * What counts as busy (IEEE 802.11ax-2021 27.3.20.6, CCA for HE PHYs; 17.3.10.6 for OFDM):
 * - TX: the node's own PPDUs, for their full duration;
 * - RX: from the start of a PPDU the PHY is receiving to its end (or abort);
 * - CCA busy on the primary 20 MHz channel: a detected preamble of a PPDU it does not receive
 *   (e.g. one addressed elsewhere after the PHY header, or an OBSS PPDU), and energy above the
 *   energy-detection threshold (-62 dBm in 20 MHz), e.g. a non-Wi-Fi interferer.
 * Not busy: idle, sleep, off; channel switching; CCA busy on secondary channels only.
 */
class PhyBusyTracker : public WifiPhyListener
{
  public:
    /**
     * Creates a tracker and registers it with phy.
     * @param phy the PHY to observe
     * @return the tracker (the PHY holds only a weak reference: keep it)
     */
    static std::shared_ptr<PhyBusyTracker> Install(Ptr<WifiPhy> phy);

    /// @return the busy time since the last TakeBusyTime() (or since creation), up to now
    Time TakeBusyTime();

    // WifiPhyListener
    void NotifyRxStart(Time duration) override;
    void NotifyRxEndOk() override;
    void NotifyRxEndError() override;
    void NotifyTxStart(Time duration, dBm_u txPower) override;
    void NotifyCcaBusyStart(Time duration,
                            WifiChannelListType channelType,
                            const std::vector<Time>& per20MhzDurations) override;
    void NotifySwitchingStart(Time duration) override;
    void NotifySleep() override;
    void NotifyOff() override;
    void NotifyWakeup() override;
    void NotifyOn() override;

  private:
    /// Adds the busy time between the last update and now, under the ends known so far.
    void Advance();
    /// Ends every known busy period now.
    void EndAll();

    Time m_lastUpdate; ///< busy time is accounted up to here
    Time m_busy;       ///< busy time accounted since the last TakeBusyTime()
    Time m_txEnd;      ///< end of the current TX
    Time m_rxEnd;      ///< expected end of the current RX
    Time m_ccaEnd;     ///< expected end of the current primary-channel CCA-busy period
};

} // namespace ns3

#endif // FABTWIN_PHY_BUSY_TRACKER_H
