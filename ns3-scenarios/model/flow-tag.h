#ifndef FABTWIN_FLOW_TAG_H
#define FABTWIN_FLOW_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief Identifies a twin packet: which flow, which sequence number, and when the twin sent it.
 *
 * Packet tags survive MAC aggregation, fragmentation-free forwarding through the AP and copies, so
 * the receiving node can report (flow, seq, send time) without a per-packet table on the sender.
 */
class FlowTag : public Tag
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    FlowTag() = default;
    /**
     * @param flow the flow index in the cell description
     * @param seq the twin's sequence number of the packet within the flow
     * @param sendTimeNs the twin's send time, in ns of twin time
     */
    FlowTag(uint32_t flow, uint32_t seq, int64_t sendTimeNs);

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint32_t GetFlow() const;      ///< @return the flow index
    uint32_t GetSeq() const;       ///< @return the sequence number
    int64_t GetSendTimeNs() const; ///< @return the twin's send time (ns)

  private:
    uint32_t m_flow{0};
    uint32_t m_seq{0};
    int64_t m_sendTimeNs{0};
};

} // namespace ns3

#endif // FABTWIN_FLOW_TAG_H
