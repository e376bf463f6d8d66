#include "flow-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(FlowTag);

TypeId
FlowTag::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FlowTag").SetParent<Tag>().SetGroupName("Fabtwin").AddConstructor<FlowTag>();
    return tid;
}

TypeId
FlowTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

FlowTag::FlowTag(uint32_t flow, uint32_t seq, int64_t sendTimeNs)
    : m_flow(flow)
    , m_seq(seq)
    , m_sendTimeNs(sendTimeNs)
{
}

uint32_t
FlowTag::GetSerializedSize() const
{
    return 4 + 4 + 8;
}

void
FlowTag::Serialize(TagBuffer buf) const
{
    buf.WriteU32(m_flow);
    buf.WriteU32(m_seq);
    buf.WriteU64(static_cast<uint64_t>(m_sendTimeNs));
}

void
FlowTag::Deserialize(TagBuffer buf)
{
    m_flow = buf.ReadU32();
    m_seq = buf.ReadU32();
    m_sendTimeNs = static_cast<int64_t>(buf.ReadU64());
}

void
FlowTag::Print(std::ostream& os) const
{
    os << "flow=" << m_flow << " seq=" << m_seq << " sendTimeNs=" << m_sendTimeNs;
}

uint32_t
FlowTag::GetFlow() const
{
    return m_flow;
}

uint32_t
FlowTag::GetSeq() const
{
    return m_seq;
}

int64_t
FlowTag::GetSendTimeNs() const
{
    return m_sendTimeNs;
}

} // namespace ns3
