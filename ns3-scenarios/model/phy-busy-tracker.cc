#include "phy-busy-tracker.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/wifi-phy.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PhyBusyTracker");

std::shared_ptr<PhyBusyTracker>
PhyBusyTracker::Install(Ptr<WifiPhy> phy)
{
    auto tracker = std::make_shared<PhyBusyTracker>();
    tracker->m_lastUpdate = Simulator::Now();
    phy->RegisterListener(tracker);
    return tracker;
}

void
PhyBusyTracker::Advance()
{
    const Time now = Simulator::Now();
    const Time busyEnd = std::max({m_txEnd, m_rxEnd, m_ccaEnd});
    if (busyEnd > m_lastUpdate)
    {
        m_busy += std::min(busyEnd, now) - m_lastUpdate;
    }
    m_lastUpdate = now;
}

void
PhyBusyTracker::EndAll()
{
    Advance();
    const Time now = Simulator::Now();
    m_txEnd = std::min(m_txEnd, now);
    m_rxEnd = std::min(m_rxEnd, now);
    m_ccaEnd = std::min(m_ccaEnd, now);
}

Time
PhyBusyTracker::TakeBusyTime()
{
    Advance();
    Time busy = m_busy;
    m_busy = Time(0);
    return busy;
}

void
PhyBusyTracker::NotifyRxStart(Time duration)
{
    Advance();
    m_rxEnd = Simulator::Now() + duration;
}

void
PhyBusyTracker::NotifyRxEndOk()
{
    Advance();
    m_rxEnd = Simulator::Now();
}

void
PhyBusyTracker::NotifyRxEndError()
{
    Advance();
    m_rxEnd = Simulator::Now();
}

void
PhyBusyTracker::NotifyTxStart(Time duration, dBm_u /* txPower */)
{
    Advance();
    m_txEnd = Simulator::Now() + duration;
}

void
PhyBusyTracker::NotifyCcaBusyStart(Time duration,
                                   WifiChannelListType channelType,
                                   const std::vector<Time>& /* per20MhzDurations */)
{
    if (channelType != WIFI_CHANLIST_PRIMARY)
    {
        return;
    }
    Advance();
    // Each notification states the PHY's current expectation of the end (it may shorten it, e.g.
    // a zero duration when the energy drops), as ChannelAccessManager reads it.
    m_ccaEnd = Simulator::Now() + duration;
}

void
PhyBusyTracker::NotifySwitchingStart(Time /* duration */)
{
    EndAll();
}

void
PhyBusyTracker::NotifySleep()
{
    EndAll();
}

void
PhyBusyTracker::NotifyOff()
{
    EndAll();
}

void
PhyBusyTracker::NotifyWakeup()
{
    Advance();
}

void
PhyBusyTracker::NotifyOn()
{
    Advance();
}

} // namespace ns3
