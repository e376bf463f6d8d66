#ifndef FABTWIN_GPTP_HEADER_H
#define FABTWIN_GPTP_HEADER_H

#include "ns3/header.h"
#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief An IEEE 802.1AS (gPTP) message for full-duplex point-to-point links: the common header
 * (802.1AS-2020 11.4.2) and the body of Sync, Follow_Up, Pdelay_Req, Pdelay_Resp and
 * Pdelay_Resp_Follow_Up (11.4.3 to 11.4.7).
 *
 * The serialized size is the standard message length (Sync 44, Follow_Up 76 with its Follow_Up
 * information TLV, the three Pdelay messages 54 bytes), so the airtime of a gPTP frame is right.
 * Only the fields the model uses are given accessors; the others are written with their fixed
 * values (transportSpecific/majorSdoId 1, versionPTP 2, domain 0) or zero.
 *
 * Timestamps are carried as 48-bit seconds + 32-bit ns; the correctionField in ns * 2^16; the
 * rate ratio of a Follow_Up as cumulativeScaledRateOffset = (rateRatio - 1) * 2^41 (11.4.4.3).
 */
class GptpHeader : public Header
{
  public:
    /// messageType values (802.1AS-2020 Table 11-5 / IEEE 1588).
    enum MessageType : uint8_t
    {
        SYNC = 0x0,
        PDELAY_REQ = 0x2,
        PDELAY_RESP = 0x3,
        FOLLOW_UP = 0x8,
        PDELAY_RESP_FOLLOW_UP = 0xA,
    };

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    GptpHeader() = default;
    /// @param type the message type
    explicit GptpHeader(MessageType type);

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /**
     * @param type a message type
     * @return the message length in bytes (11.4.3 to 11.4.7)
     */
    static uint32_t MessageLength(MessageType type);

    void SetMessageType(MessageType type); ///< @param type the message type
    MessageType GetMessageType() const;    ///< @return the message type
    void SetSequenceId(uint16_t seq);      ///< @param seq the sequenceId
    uint16_t GetSequenceId() const;        ///< @return the sequenceId
    /**
     * @param clockIdentity the clockIdentity of the sourcePortIdentity
     * @param portNumber the portNumber of the sourcePortIdentity
     */
    void SetSourcePortIdentity(uint64_t clockIdentity, uint16_t portNumber);
    uint64_t GetSourceClockIdentity() const; ///< @return the source clockIdentity
    uint16_t GetSourcePortNumber() const;    ///< @return the source portNumber
    void SetCorrectionNs(double ns);         ///< @param ns the correctionField, in ns
    double GetCorrectionNs() const;          ///< @return the correctionField, in ns
    void SetLogMessageInterval(int8_t log);  ///< @param log the logMessageInterval
    int8_t GetLogMessageInterval() const;    ///< @return the logMessageInterval
    /**
     * @param ts preciseOriginTimestamp (Follow_Up), requestReceiptTimestamp (Pdelay_Resp) or
     *        responseOriginTimestamp (Pdelay_Resp_Follow_Up)
     */
    void SetTimestamp(Time ts);
    Time GetTimestamp() const; ///< @return the message's timestamp field
    /**
     * @param clockIdentity requestingPortIdentity clockIdentity (Pdelay_Resp[_Follow_Up])
     * @param portNumber requestingPortIdentity portNumber
     */
    void SetRequestingPortIdentity(uint64_t clockIdentity, uint16_t portNumber);
    uint64_t GetRequestingClockIdentity() const; ///< @return requesting clockIdentity
    uint16_t GetRequestingPortNumber() const;    ///< @return requesting portNumber
    void SetRateRatio(double rateRatio);         ///< @param rateRatio cumulative rate ratio
    double GetRateRatio() const;                 ///< @return cumulative rate ratio (Follow_Up)

  private:
    MessageType m_type{SYNC};       ///< messageType
    uint16_t m_sequenceId{0};       ///< sequenceId
    uint64_t m_sourceClock{0};      ///< sourcePortIdentity.clockIdentity
    uint16_t m_sourcePort{0};       ///< sourcePortIdentity.portNumber
    int64_t m_correctionScaled{0};  ///< correctionField (ns * 2^16)
    int8_t m_logMessageInterval{0}; ///< logMessageInterval
    int64_t m_timestampNs{0};       ///< the body timestamp, ns
    uint64_t m_requestingClock{0};  ///< requestingPortIdentity.clockIdentity
    uint16_t m_requestingPort{0};   ///< requestingPortIdentity.portNumber
    int32_t m_scaledRateOffset{0};  ///< cumulativeScaledRateOffset
};

} // namespace ns3

#endif // FABTWIN_GPTP_HEADER_H
