#include "gptp-tag.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GptpTag");
NS_OBJECT_ENSURE_REGISTERED(GptpTag);

TypeId
GptpTag::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GptpTag").SetParent<Tag>().SetGroupName("Fabtwin").AddConstructor<GptpTag>();
    return tid;
}

TypeId
GptpTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

GptpTag::GptpTag(uint64_t clockIdentity,
                 uint16_t portNumber,
                 uint8_t messageType,
                 uint16_t sequenceId)
    : m_clockIdentity(clockIdentity)
    , m_portNumber(portNumber)
    , m_messageType(messageType)
    , m_sequenceId(sequenceId)
{
}

uint32_t
GptpTag::GetSerializedSize() const
{
    return 8 + 2 + 1 + 2;
}

void
GptpTag::Serialize(TagBuffer buf) const
{
    buf.WriteU64(m_clockIdentity);
    buf.WriteU16(m_portNumber);
    buf.WriteU8(m_messageType);
    buf.WriteU16(m_sequenceId);
}

void
GptpTag::Deserialize(TagBuffer buf)
{
    m_clockIdentity = buf.ReadU64();
    m_portNumber = buf.ReadU16();
    m_messageType = buf.ReadU8();
    m_sequenceId = buf.ReadU16();
}

void
GptpTag::Print(std::ostream& os) const
{
    os << "gPTP clock=" << std::hex << m_clockIdentity << std::dec << " port=" << m_portNumber
       << " type=" << static_cast<int>(m_messageType) << " seq=" << m_sequenceId;
}

uint64_t
GptpTag::GetClockIdentity() const
{
    return m_clockIdentity;
}

uint16_t
GptpTag::GetPortNumber() const
{
    return m_portNumber;
}

uint8_t
GptpTag::GetMessageType() const
{
    return m_messageType;
}

uint16_t
GptpTag::GetSequenceId() const
{
    return m_sequenceId;
}

} // namespace ns3
