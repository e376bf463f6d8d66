#ifndef FABTWIN_GPTP_PORT_H
#define FABTWIN_GPTP_PORT_H

#include "gptp-header.h"

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <tuple>

namespace ns3
{

class GptpInstance;
class LocalClock;

/**
 * @brief One gPTP port of a PTP Instance on a point-to-point (logical) link: the media-dependent
 * layer of IEEE 802.1AS-2020 clause 11 (two-step Sync/Follow_Up and the peer-delay mechanism).
 *
 * Transport-agnostic: the port sends messages through the send callback (packet, destination)
 * and gets received messages through Receive(). Timestamps come from the node's LocalClock at the
 * moments the scenario reports: NotifyTransmitted() when a frame carrying a gPTP event message
 * left (e.g. from a PHY TX-begin trace) and NotifyReceived() when it arrived (PHY RX trace). Each
 * call is matched to the message by its GptpTag; a later call for the same message (a
 * retransmission) replaces the earlier timestamp. With SoftwareTimestamps the send and receive
 * calls themselves are the timestamp points (no hooks needed, larger error).
 *
 * Roles are fixed by configuration (Role attribute) instead of the BMCA, as with
 * externalPortConfigurationEnabled in 802.1AS-2020 (10.3.1). A master port sends Sync every
 * 2^LogSyncInterval s (10.7.2.3, default -3 = 125 ms) and a Follow_Up carrying
 * preciseOriginTimestamp, correctionField and the cumulative rate ratio once the Sync's egress
 * timestamp is known. Every port can run the peer-delay initiator (11.2.19, every
 * 2^LogPdelayReqInterval s, default 0 = 1 s) and always answers Pdelay_Req (11.2.20):
 *
 *   neighborRateRatio = (t3_N - t3_0) / (t4_N - t4_0)       (11.2.19.3.3, computePdelayRateRatio)
 *   meanLinkDelay     = ((t4 - t1) * neighborRateRatio - (t3 - t2)) / 2   (11.2.19.3.4)
 *
 * with (t3_0, t4_0) the oldest of the last RateRatioWindow exchanges. The port is asCapable once
 * the neighbor rate ratio is measured and meanLinkDelay <= NeighborPropDelayThresh; more than
 * AllowedLostResponses (11.5.3, default 9) consecutive lost exchanges clear asCapable. A slave
 * port hands each Sync/Follow_Up pair to its GptpInstance (the ClockSlave) only while asCapable.
 */
class GptpPort : public Object
{
  public:
    /// Port role (static configuration, no BMCA).
    enum Role
    {
        MASTER, ///< sends Sync/Follow_Up towards the slave
        SLAVE,  ///< receives Sync/Follow_Up from the master
    };

    /// Callback to send a message: (packet, destination address).
    typedef Callback<void, Ptr<Packet>, const Address&> SendCallback;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    GptpPort();
    ~GptpPort() override;

    /// @param cb the callback the port sends its messages through
    void SetSendCallback(SendCallback cb);
    /// @param peer the destination address of this port's messages (the link peer)
    void SetPeerAddress(const Address& peer);
    /// @return the peer address
    Address GetPeerAddress() const;

    /**
     * @brief Attach the port to its PTP Instance (GptpInstance::AddPort calls this).
     * @param instance the owning instance
     * @param portNumber the portNumber (1-based)
     */
    void SetInstance(GptpInstance* instance, uint16_t portNumber);
    /// @return the portNumber
    uint16_t GetPortNumber() const;
    /// @return the role
    Role GetRole() const;
    /// @param role the role
    void SetRole(Role role);

    /// @brief Start the periodic Sync (master) and Pdelay_Req (initiator) transmissions.
    void Start();
    /// @brief Stop all periodic transmissions.
    void Stop();

    /**
     * @brief Hand a received gPTP message to the port.
     * @param packet the message (GptpHeader first)
     */
    void Receive(Ptr<const Packet> packet);
    /**
     * @brief Report that a frame left the node (TX timestamp point).
     * @param packet any packet; ignored unless it carries a GptpTag of this port
     * @param ago how long ago the timestamp point passed (e.g. 0 at PHY TX begin)
     */
    void NotifyTransmitted(Ptr<const Packet> packet, Time ago = Time(0));
    /**
     * @brief Report that a frame arrived (RX timestamp point).
     * @param packet any packet; ignored unless it carries a GptpTag of another port
     * @param ago how long ago the timestamp point passed (e.g. the PPDU duration when called
     *        at PHY RX end and the reference is the PPDU start)
     */
    void NotifyReceived(Ptr<const Packet> packet, Time ago = Time(0));

    /// @return true when the peer delay and neighbor rate ratio are established
    bool IsAsCapable() const;
    /// @return the last measured meanLinkDelay (responder time base)
    Time GetMeanLinkDelay() const;
    /// @return the last measured neighborRateRatio
    double GetNeighborRateRatio() const;
    /// @return the sync interval, 2^LogSyncInterval s
    Time GetSyncInterval() const;

    /**
     * TracedCallback signature for peer-delay results.
     * @param meanLinkDelay the new meanLinkDelay
     * @param neighborRateRatio the new neighborRateRatio
     */
    typedef void (*PdelayTracedCallback)(Time meanLinkDelay, double neighborRateRatio);

  protected:
    void DoDispose() override;

  private:
    /// Key of a timestamp: sender clockIdentity, portNumber, messageType, sequenceId.
    typedef std::tuple<uint64_t, uint16_t, uint8_t, uint16_t> TsKey;

    /// @return the node's clock
    Ptr<LocalClock> Clock() const;
    /// @return this port's clockIdentity
    uint64_t ClockIdentity() const;
    /**
     * @param type the message type
     * @param seq the sequenceId
     * @return a header with the common fields of this port filled in
     */
    GptpHeader MakeHeader(GptpHeader::MessageType type, uint16_t seq) const;
    /**
     * @brief Send a message (adds the GptpTag).
     * @param hdr the message
     */
    void SendMessage(const GptpHeader& hdr);
    /**
     * @param key which message
     * @param ts where to write the timestamp
     * @return true if an RX timestamp was reported for it
     */
    bool TakeRxTimestamp(const TsKey& key, Time* ts);

    void SendSync();               ///< master: periodic Sync
    void SendFollowUp();           ///< master: Follow_Up of the last Sync
    void SendPdelayReq();          ///< initiator: periodic Pdelay_Req
    void SendPdelayRespFollowUp(); ///< responder: Pdelay_Resp_Follow_Up
    /// @param hdr a received Sync
    void HandleSync(const GptpHeader& hdr);
    /// @param hdr a received Follow_Up
    void HandleFollowUp(const GptpHeader& hdr);
    /// @param hdr a received Pdelay_Req
    void HandlePdelayReq(const GptpHeader& hdr);
    /// @param hdr a received Pdelay_Resp
    void HandlePdelayResp(const GptpHeader& hdr);
    /// @param hdr a received Pdelay_Resp_Follow_Up
    void HandlePdelayRespFollowUp(const GptpHeader& hdr);
    /// initiator: all four timestamps known
    void CompletePdelay();

    // configuration
    Role m_role{SLAVE};               ///< port role
    int8_t m_logSyncInterval{-3};     ///< log2 of the sync interval (s)
    int8_t m_logPdelayInterval{0};    ///< log2 of the Pdelay_Req interval (s)
    bool m_pdelayInitiator{true};     ///< run the peer-delay initiator
    uint32_t m_allowedLost{9};        ///< allowedLostResponses
    uint32_t m_rateRatioWindow{8};    ///< exchanges spanned by the neighbor rate ratio
    Time m_propDelayThresh;           ///< neighborPropDelayThresh
    Time m_followUpDelay;             ///< wait after the last TX report before the follow-up
    bool m_softwareTimestamps{false}; ///< timestamp at send/receive calls

    // wiring
    GptpInstance* m_instance{nullptr}; ///< owner (not ref-counted: the instance owns the port)
    uint16_t m_portNumber{0};          ///< portNumber
    SendCallback m_send;               ///< transport
    Address m_peer;                    ///< destination of our messages

    // master state
    EventId m_syncEvent;          ///< next Sync
    EventId m_followUpEvent;      ///< pending Follow_Up
    uint16_t m_syncSeq{0};        ///< sequenceId of the next Sync
    uint16_t m_pendingSyncSeq{0}; ///< sequenceId of the Sync awaiting its Follow_Up
    bool m_syncPending{false};    ///< a Sync awaits its egress timestamp / Follow_Up
    Time m_syncEgress;            ///< egress timestamp of that Sync

    // slave state
    bool m_haveSync{false};  ///< a Sync awaits its Follow_Up
    uint16_t m_rxSyncSeq{0}; ///< its sequenceId
    Time m_syncIngress;      ///< its ingress timestamp

    // peer delay: initiator
    EventId m_pdelayEvent;                         ///< next Pdelay_Req
    uint16_t m_pdelaySeq{0};                       ///< sequenceId of the outstanding Pdelay_Req
    bool m_pdelayOutstanding{false};               ///< waiting for the response
    bool m_haveT1{false};                          ///< t1 known
    bool m_haveT2T4{false};                        ///< Pdelay_Resp received
    Time m_t1;                                     ///< Pdelay_Req egress (own clock)
    Time m_t2;                                     ///< Pdelay_Req ingress (responder clock)
    Time m_t3;                                     ///< Pdelay_Resp egress (responder clock)
    Time m_t4;                                     ///< Pdelay_Resp ingress (own clock)
    uint32_t m_lostResponses{0};                   ///< consecutive lost exchanges
    std::deque<std::pair<Time, Time>> m_rrHistory; ///< (t3, t4) of recent exchanges
    double m_neighborRateRatio{1.0};               ///< neighborRateRatio
    bool m_rateRatioValid{false};                  ///< measured at least once
    Time m_meanLinkDelay;                          ///< meanLinkDelay
    bool m_asCapable{false};                       ///< asCapable

    // peer delay: responder
    EventId m_respFollowUpEvent; ///< pending Pdelay_Resp_Follow_Up
    bool m_respPending{false};   ///< a Pdelay_Resp awaits its egress timestamp
    uint16_t m_respSeq{0};       ///< its sequenceId
    uint64_t m_respReqClock{0};  ///< requestingPortIdentity
    uint16_t m_respReqPort{0};   ///< requestingPortIdentity
    Time m_respEgress;           ///< Pdelay_Resp egress (own clock)

    // RX timestamps reported by NotifyReceived, by message
    std::map<TsKey, Time> m_rxTimestamps; ///< ingress timestamps
    std::deque<TsKey> m_rxOrder;          ///< insertion order, to bound the map

    TracedCallback<Time, double> m_pdelayTrace;  ///< meanLinkDelay, neighborRateRatio
    TracedCallback<Ptr<const Packet>> m_txTrace; ///< every message sent
    TracedCallback<Ptr<const Packet>> m_rxTrace; ///< every message received
};

} // namespace ns3

#endif // FABTWIN_GPTP_PORT_H
