#include "gptp-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GptpHeader");
NS_OBJECT_ENSURE_REGISTERED(GptpHeader);

namespace
{
constexpr uint32_t kCommonHeaderSize = 34;     ///< 802.1AS-2020 11.4.2
constexpr double kScaledNs = 65536.0;          ///< correctionField unit: 2^-16 ns
constexpr double kRateScale = 2199023255552.0; ///< 2^41, cumulativeScaledRateOffset (11.4.4.3)

/// Write a 10-byte PTP Timestamp (48-bit seconds, 32-bit ns); negative times are two's complement.
void
WriteTimestamp(Buffer::Iterator& i, int64_t ns)
{
    int64_t sec = ns / 1000000000;
    int64_t rem = ns % 1000000000;
    if (rem < 0)
    {
        rem += 1000000000;
        --sec;
    }
    const auto usec = static_cast<uint64_t>(sec);
    i.WriteHtonU16(static_cast<uint16_t>(usec >> 32));
    i.WriteHtonU32(static_cast<uint32_t>(usec));
    i.WriteHtonU32(static_cast<uint32_t>(rem));
}

/// Read a 10-byte PTP Timestamp written by WriteTimestamp.
int64_t
ReadTimestamp(Buffer::Iterator& i)
{
    uint64_t hi = i.ReadNtohU16();
    uint64_t lo = i.ReadNtohU32();
    uint64_t usec = (hi << 32) | lo;
    if (usec & (uint64_t{1} << 47))
    {
        usec |= 0xFFFF000000000000ULL; // sign-extend the 48-bit field
    }
    const auto sec = static_cast<int64_t>(usec);
    return sec * 1000000000 + static_cast<int64_t>(i.ReadNtohU32());
}

/// Write a 10-byte PortIdentity.
void
WritePortIdentity(Buffer::Iterator& i, uint64_t clock, uint16_t port)
{
    i.WriteHtonU64(clock);
    i.WriteHtonU16(port);
}
} // namespace

TypeId
GptpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GptpHeader")
                            .SetParent<Header>()
                            .SetGroupName("Fabtwin")
                            .AddConstructor<GptpHeader>();
    return tid;
}

TypeId
GptpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

GptpHeader::GptpHeader(MessageType type)
    : m_type(type)
{
}

uint32_t
GptpHeader::MessageLength(MessageType type)
{
    switch (type)
    {
        case SYNC:
            return 44; // 11.4.3: header + 10 reserved octets
        case FOLLOW_UP:
            return 76; // 11.4.4: header + preciseOriginTimestamp + Follow_Up information TLV (32)
        case PDELAY_REQ:
        case PDELAY_RESP:
        case PDELAY_RESP_FOLLOW_UP:
            return 54; // 11.4.5 to 11.4.7
    }
    NS_ABORT_MSG("GptpHeader: unknown messageType " << static_cast<int>(type));
    return 0;
}

uint32_t
GptpHeader::GetSerializedSize() const
{
    return MessageLength(m_type);
}

void
GptpHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    const uint32_t len = MessageLength(m_type);
    i.WriteU8(static_cast<uint8_t>(0x10 | m_type)); // majorSdoId 1 (gPTP) | messageType
    i.WriteU8(0x12);                                // minorVersionPTP 1 | versionPTP 2
    i.WriteHtonU16(static_cast<uint16_t>(len));
    i.WriteU8(0);            // domainNumber
    i.WriteU8(0);            // minorSdoId
    uint16_t flags = 0x0008; // ptpTimescale
    if (m_type == SYNC || m_type == PDELAY_RESP)
    {
        flags |= 0x0200; // twoStepFlag
    }
    i.WriteHtonU16(flags);
    i.WriteHtonU64(static_cast<uint64_t>(m_correctionScaled));
    i.WriteHtonU32(0); // messageTypeSpecific
    WritePortIdentity(i, m_sourceClock, m_sourcePort);
    i.WriteHtonU16(m_sequenceId);
    i.WriteU8(m_type == SYNC ? 0 : (m_type == FOLLOW_UP ? 2 : 5)); // controlField (legacy)
    i.WriteU8(static_cast<uint8_t>(m_logMessageInterval));
    switch (m_type)
    {
        case SYNC:
            i.WriteU8(0, 10);
            break;
        case PDELAY_REQ:
            i.WriteU8(0, 20);
            break;
        case FOLLOW_UP:
            WriteTimestamp(i, m_timestampNs);
            i.WriteHtonU16(0x0003); // tlvType ORGANIZATION_EXTENSION
            i.WriteHtonU16(28);     // lengthField
            i.WriteU8(0x00);        // organizationId 00-80-C2
            i.WriteU8(0x80);
            i.WriteU8(0xC2);
            i.WriteU8(0); // organizationSubType 1
            i.WriteU8(0);
            i.WriteU8(1);
            i.WriteHtonU32(static_cast<uint32_t>(m_scaledRateOffset));
            i.WriteHtonU16(0); // gmTimeBaseIndicator
            i.WriteU8(0, 12);  // lastGmPhaseChange
            i.WriteHtonU32(0); // scaledLastGmFreqChange
            break;
        case PDELAY_RESP:
        case PDELAY_RESP_FOLLOW_UP:
            WriteTimestamp(i, m_timestampNs);
            WritePortIdentity(i, m_requestingClock, m_requestingPort);
            break;
    }
}

uint32_t
GptpHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_type = static_cast<MessageType>(i.ReadU8() & 0x0F);
    i.ReadU8();
    const uint16_t len = i.ReadNtohU16();
    i.Next(4); // domainNumber, minorSdoId, flags
    m_correctionScaled = static_cast<int64_t>(i.ReadNtohU64());
    i.Next(4);
    m_sourceClock = i.ReadNtohU64();
    m_sourcePort = i.ReadNtohU16();
    m_sequenceId = i.ReadNtohU16();
    i.ReadU8();
    m_logMessageInterval = static_cast<int8_t>(i.ReadU8());
    switch (m_type)
    {
        case SYNC:
            i.Next(10);
            break;
        case PDELAY_REQ:
            i.Next(20);
            break;
        case FOLLOW_UP:
            m_timestampNs = ReadTimestamp(i);
            i.Next(10); // tlvType, lengthField, organizationId, organizationSubType
            m_scaledRateOffset = static_cast<int32_t>(i.ReadNtohU32());
            i.Next(18);
            break;
        case PDELAY_RESP:
        case PDELAY_RESP_FOLLOW_UP:
            m_timestampNs = ReadTimestamp(i);
            m_requestingClock = i.ReadNtohU64();
            m_requestingPort = i.ReadNtohU16();
            break;
        default:
            NS_LOG_WARN("unknown gPTP messageType " << static_cast<int>(m_type));
            return i.GetDistanceFrom(start);
    }
    NS_ASSERT_MSG(i.GetDistanceFrom(start) == len, "gPTP message length mismatch");
    return i.GetDistanceFrom(start);
}

void
GptpHeader::Print(std::ostream& os) const
{
    os << "gPTP type=" << static_cast<int>(m_type) << " seq=" << m_sequenceId << " src=" << std::hex
       << m_sourceClock << std::dec << ":" << m_sourcePort << " corr=" << GetCorrectionNs()
       << "ns ts=" << m_timestampNs << "ns";
}

void
GptpHeader::SetMessageType(MessageType type)
{
    m_type = type;
}

GptpHeader::MessageType
GptpHeader::GetMessageType() const
{
    return m_type;
}

void
GptpHeader::SetSequenceId(uint16_t seq)
{
    m_sequenceId = seq;
}

uint16_t
GptpHeader::GetSequenceId() const
{
    return m_sequenceId;
}

void
GptpHeader::SetSourcePortIdentity(uint64_t clockIdentity, uint16_t portNumber)
{
    m_sourceClock = clockIdentity;
    m_sourcePort = portNumber;
}

uint64_t
GptpHeader::GetSourceClockIdentity() const
{
    return m_sourceClock;
}

uint16_t
GptpHeader::GetSourcePortNumber() const
{
    return m_sourcePort;
}

void
GptpHeader::SetCorrectionNs(double ns)
{
    m_correctionScaled = std::llround(ns * kScaledNs);
}

double
GptpHeader::GetCorrectionNs() const
{
    return static_cast<double>(m_correctionScaled) / kScaledNs;
}

void
GptpHeader::SetLogMessageInterval(int8_t log)
{
    m_logMessageInterval = log;
}

int8_t
GptpHeader::GetLogMessageInterval() const
{
    return m_logMessageInterval;
}

void
GptpHeader::SetTimestamp(Time ts)
{
    m_timestampNs = ts.GetNanoSeconds();
}

Time
GptpHeader::GetTimestamp() const
{
    return NanoSeconds(m_timestampNs);
}

void
GptpHeader::SetRequestingPortIdentity(uint64_t clockIdentity, uint16_t portNumber)
{
    m_requestingClock = clockIdentity;
    m_requestingPort = portNumber;
}

uint64_t
GptpHeader::GetRequestingClockIdentity() const
{
    return m_requestingClock;
}

uint16_t
GptpHeader::GetRequestingPortNumber() const
{
    return m_requestingPort;
}

void
GptpHeader::SetRateRatio(double rateRatio)
{
    m_scaledRateOffset = static_cast<int32_t>(std::llround((rateRatio - 1.0) * kRateScale));
}

double
GptpHeader::GetRateRatio() const
{
    return 1.0 + static_cast<double>(m_scaledRateOffset) / kRateScale;
}

} // namespace ns3
