#ifndef FABTWIN_GPTP_TAG_H
#define FABTWIN_GPTP_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief Marks a frame as a gPTP event or general message: who sent it, which message, which
 * sequenceId.
 *
 * A GptpPort adds it to every message it sends. The scenario's PHY TX/RX trace sinks pass any
 * packet to GptpPort::NotifyTransmitted / NotifyReceived (or the GptpInstance fan-outs); the port
 * looks for this tag to know which message just left or arrived, without parsing MAC and LLC
 * headers. It stands for the message identification that a real timestamping unit does on the
 * frame itself.
 */
class GptpTag : public Tag
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    GptpTag() = default;
    /**
     * @param clockIdentity the sender's clockIdentity
     * @param portNumber the sender's portNumber
     * @param messageType the gPTP messageType
     * @param sequenceId the message's sequenceId
     */
    GptpTag(uint64_t clockIdentity, uint16_t portNumber, uint8_t messageType, uint16_t sequenceId);

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint64_t GetClockIdentity() const; ///< @return the sender's clockIdentity
    uint16_t GetPortNumber() const;    ///< @return the sender's portNumber
    uint8_t GetMessageType() const;    ///< @return the messageType
    uint16_t GetSequenceId() const;    ///< @return the sequenceId

  private:
    uint64_t m_clockIdentity{0}; ///< sender clockIdentity
    uint16_t m_portNumber{0};    ///< sender portNumber
    uint8_t m_messageType{0};    ///< messageType
    uint16_t m_sequenceId{0};    ///< sequenceId
};

} // namespace ns3

#endif // FABTWIN_GPTP_TAG_H
