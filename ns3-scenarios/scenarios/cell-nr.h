#ifndef FABTWIN_CELL_NR_H
#define FABTWIN_CELL_NR_H

#include "cell-description.h"

#include "../helper/nr-helper.h"
#include "../model/nr-gnb-net-device.h"
#include "../model/nr-packet-record.h"
#include "../model/nr-ue-net-device.h"
#include "../model/twin-protocol.h"

#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/spectrum-channel.h"

#include <functional>
#include <map>
#include <vector>

namespace ns3
{

/**
 * @brief The NR part of a FactoryCell: one gNB and its UEs (NrHelper) on the cell's spectrum
 * channel, so that they share its path loss, Wi-Fi and interferers; configured from the
 * description's "nr" section. Twin packets go in at the NR NetDevices; every delivered SDU comes
 * back with its NR journey (NrPacketRecord), every lost one with a drop reason.
 */
class CellNr
{
  public:
    /// A delivered SDU: receiving node index, packet (with its FlowTag), its NR journey.
    using DeliverCallback = std::function<void(uint32_t, Ptr<const Packet>, const NrPacketRecord&)>;
    /// A dropped SDU: the packet (with its FlowTag) and why.
    using DropCallback = std::function<void(Ptr<const Packet>, twinproto::DropReason)>;

    /**
     * @param desc the checked description (desc.nr.present)
     * @param nodes the cell's nodes (with mobility), index = description order
     * @param channel the cell's spectrum channel
     */
    CellNr(const CellDescription& desc, NodeContainer nodes, Ptr<SpectrumChannel> channel);

    /**
     * @brief Create the gNB and UE devices and start the gNB's scheduling loop.
     * @param stream first random stream
     * @param deliver called for every delivered SDU
     * @param drop called for every dropped SDU
     * @return streams used
     */
    int64_t Install(int64_t stream, DeliverCallback deliver, DropCallback drop);

    /**
     * @brief The first instant at or after t where every periodic NR structure restarts: a 20 ms
     * boundary (two radio frames, TS 38.211 §4.3.1) that is also a multiple of the TDD pattern,
     * SR and CG periods. The cell starts twin time there, so that twin time 0 is the start of a
     * frame as in the hand derivations.
     * @param t a simulation time
     * @return the aligned simulation time
     */
    Time AlignedStart(Time t) const;

    /**
     * @brief Send a twin packet over NR (src and dst of the flow: the gNB and a UE).
     * @param flow the flow
     * @param p the packet (tagged)
     * @param protocol EtherType handed to the receiver
     * @return false if it was dropped at once (buffer full); the drop callback has fired
     */
    bool Send(const FlowDescription& flow, Ptr<Packet> p, uint16_t protocol);

    /**
     * @brief The twin's per-step scheduling input (MuScheduleRecords of NR UEs): per direction,
     * the UEs listed are served first, in the listed order; the others after them, oldest data
     * first. Records of one ADVANCE replace the previous ones; the clear record resets them.
     * @param recs records naming NR UEs or the clear node
     * @throws std::invalid_argument for a record naming a node that is not an NR UE
     */
    void ApplySchedule(const std::vector<twinproto::MuScheduleRecord>& recs);

    /// @param node node index @return it is an NR UE
    bool IsUe(uint32_t node) const;
    /// @param node node index @return NR SDUs waiting at (UE) or for (gNB: all UEs) the node
    uint32_t QueuePackets(uint32_t node) const;
    /// @param node node index with an NR device @return its address
    Address GetAddress(uint32_t node) const;
    /// @return the shared timing configuration
    Ptr<NrLatencyModel> GetTiming() const;

  private:
    const CellDescription& m_desc;                ///< the description
    NodeContainer m_nodes;                        ///< the cell's nodes
    Ptr<SpectrumChannel> m_channel;               ///< shared channel
    NrHelper m_helper;                            ///< wiring
    uint32_t m_gnbNode{0};                        ///< node index of the gNB
    Ptr<NrGnbNetDevice> m_gnb;                    ///< gNB device
    std::map<uint32_t, Ptr<NrUeNetDevice>> m_ues; ///< node index -> UE device
    std::map<uint32_t, uint16_t> m_rnti;          ///< node index -> RNTI
    DropCallback m_drop;                          ///< drops
};

} // namespace ns3

#endif // FABTWIN_CELL_NR_H
