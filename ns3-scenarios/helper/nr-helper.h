#ifndef FABTWIN_NR_HELPER_H
#define FABTWIN_NR_HELPER_H

#include "nr-gnb-net-device.h"
#include "nr-latency-model.h"
#include "nr-ue-net-device.h"

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/spectrum-channel.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * @brief Wires an NR cell onto nodes: one gNB and its UEs on a SpectrumChannel, sharing one
 * timing configuration (numerology, duplexing, scheduling unit, UL access, processing times).
 *
 * Configure the frame structure and timing through GetTiming() (and its FrameStructure), PHYs and
 * the gNB MAC through the Set*Attribute methods, then Install. Nodes need a MobilityModel.
 */
class NrHelper
{
  public:
    NrHelper();

    /// @param channel the spectrum channel (a MultiModelSpectrumChannel to share it with Wi-Fi)
    void SetChannel(Ptr<SpectrumChannel> channel);
    /// @return the timing configuration every device of the cell shares
    Ptr<NrLatencyModel> GetTiming() const;
    /// @param n attribute name @param v value, for the gNB's NrSpectrumPhy
    void SetGnbPhyAttribute(const std::string& n, const AttributeValue& v);
    /// @param n attribute name @param v value, for each UE's NrSpectrumPhy
    void SetUePhyAttribute(const std::string& n, const AttributeValue& v);
    /// @param n attribute name @param v value, for the NrGnbMac
    void SetGnbMacAttribute(const std::string& n, const AttributeValue& v);

    /**
     * @brief Install a cell.
     * @param gnb the gNB node
     * @param ues the UE nodes (RNTIs 1, 2, ... in this order)
     * @param cellId the cell id
     * @return the gNB device first, then one device per UE
     */
    NetDeviceContainer Install(Ptr<Node> gnb, NodeContainer ues, uint16_t cellId);
    /**
     * @brief Give a UE a configured-grant Type 1 resource; aborts if its TBS cannot carry the
     * timing configuration's CgBytes.
     * @param gnb the gNB device
     * @param ue the UE device
     * @param firstRb first RB
     * @param numRbs RBs
     * @param mcs MCS index
     * @param table MCS table
     */
    void ConfigureCg(Ptr<NrGnbNetDevice> gnb,
                     Ptr<NrUeNetDevice> ue,
                     uint32_t firstRb,
                     uint32_t numRbs,
                     uint8_t mcs,
                     NrMcsTable::Table table);
    /**
     * @brief Fix the random streams of every PHY of the devices.
     * @param devices the devices
     * @param stream first stream
     * @return streams used
     */
    int64_t AssignStreams(NetDeviceContainer devices, int64_t stream);

  private:
    Ptr<SpectrumChannel> m_channel; ///< channel
    Ptr<NrLatencyModel> m_timing;   ///< shared timing
    ObjectFactory m_gnbPhy;         ///< gNB PHY factory
    ObjectFactory m_uePhy;          ///< UE PHY factory
    ObjectFactory m_gnbMac;         ///< gNB MAC factory
};

} // namespace ns3

#endif // FABTWIN_NR_HELPER_H
