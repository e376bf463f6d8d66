#ifndef FABTWIN_GPTP_INSTANCE_H
#define FABTWIN_GPTP_INSTANCE_H

#include "local-clock.h"

#include "ns3/address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

class GptpPort;

/**
 * @brief A node's IEEE 802.1AS PTP Instance (time-aware system): its LocalClock, its gPTP ports,
 * and the media-independent part of time synchronization.
 *
 * - Grandmaster: its synchronized time is its own local time; its (master) ports send Sync with
 *   preciseOriginTimestamp = the Sync's egress timestamp, correctionField 0, rate ratio 1.
 * - Otherwise one port is the slave port. For each Sync/Follow_Up pair received there the
 *   instance computes, as the ClockSlave of 802.1AS-2020 10.2.13 does,
 *
 *     rateRatio   = cumulativeRateRatio(Follow_Up) * neighborRateRatio(slave port)
 *     gmAtIngress = preciseOriginTimestamp + correctionField
 *                   + meanLinkDelay * cumulativeRateRatio(Follow_Up)
 *
 *   (meanLinkDelay is in the upstream neighbor's time base, hence the upstream rate ratio) and
 *   re-anchors the clock: S(L) = gmAtIngress + (L - ingress timestamp) * rateRatio.
 * - A relay (not grandmaster, with master ports) forwards time on its master ports: the
 *   Follow_Up of a Sync leaving at local time e carries the received preciseOriginTimestamp and
 *   correctionField = (gmAtIngress - preciseOriginTimestamp) + (e - ingress) * rateRatio, i.e.
 *   upstream correction + link delay + residence time in GM time base (11.2.14 / 11.2.15).
 *
 * The offset from the grandmaster reported by the Offset trace and GetOffsetFromGrandmaster() is
 * the ground truth (this node's synchronized time minus the grandmaster's, at the same simulation
 * instant); it needs SetGrandmasterClock(). It is what the twin reports as clock offset.
 */
class GptpInstance : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    GptpInstance();
    ~GptpInstance() override;

    /// @param clock the node's clock
    void SetClock(Ptr<LocalClock> clock);
    /// @return the node's clock
    Ptr<LocalClock> GetClock() const;
    /**
     * @param clock the grandmaster's clock (ground truth for the Offset trace; simulation only)
     */
    void SetGrandmasterClock(Ptr<LocalClock> clock);

    /**
     * @brief Add a port; the instance owns it and numbers it 1, 2, ...
     * @param port the port
     * @return its portNumber
     */
    uint16_t AddPort(Ptr<GptpPort> port);
    /**
     * @param portNumber a portNumber (1-based)
     * @return the port
     */
    Ptr<GptpPort> GetPort(uint16_t portNumber) const;
    /// @return the number of ports
    uint32_t GetNPorts() const;
    /// @return the clockIdentity
    uint64_t GetClockIdentity() const;
    /// @return true if this instance is the grandmaster
    bool IsGrandmaster() const;

    /// @brief Start all ports.
    void Start();
    /// @brief Stop all ports.
    void Stop();

    /**
     * @brief Dispatch a received gPTP message to the port whose peer address is from (or to the
     * only port).
     * @param packet the message
     * @param from the sender's address
     */
    void Receive(Ptr<const Packet> packet, const Address& from);
    /**
     * @brief Forward a TX timestamp report to every port (each keeps only its own messages).
     * @param packet the packet that left
     * @param ago how long ago the timestamp point passed
     */
    void NotifyTransmitted(Ptr<const Packet> packet, Time ago = Time(0));
    /**
     * @brief Forward an RX timestamp report to every port.
     * @param packet the packet that arrived
     * @param ago how long ago the timestamp point passed
     */
    void NotifyReceived(Ptr<const Packet> packet, Time ago = Time(0));

    /**
     * @brief ClockSlave: a slave port got a Sync and its Follow_Up.
     * @param preciseOriginTimestamp from the Follow_Up
     * @param correctionNs the Follow_Up's correctionField (ns)
     * @param upstreamRateRatio the Follow_Up's cumulative rate ratio
     * @param ingress the Sync's ingress timestamp (local)
     * @param neighborRateRatio the slave port's neighborRateRatio
     * @param meanLinkDelay the slave port's meanLinkDelay
     */
    void ProcessSync(Time preciseOriginTimestamp,
                     double correctionNs,
                     double upstreamRateRatio,
                     Time ingress,
                     double neighborRateRatio,
                     Time meanLinkDelay);
    /// @return true if master ports may send Sync (grandmaster, or synchronized relay)
    bool CanSendSync() const;
    /**
     * @brief Follow_Up fields for a Sync that left a master port at local time egress.
     * @param egress the Sync's egress timestamp
     * @param pot out: preciseOriginTimestamp
     * @param correctionNs out: correctionField (ns)
     * @param rateRatio out: cumulative rate ratio
     */
    void GetFollowUpFields(Time egress, Time* pot, double* correctionNs, double* rateRatio);

    /// @return this node's synchronized time minus the grandmaster's, now (ground truth)
    Time GetOffsetFromGrandmaster() const;
    /// @return the number of Sync/Follow_Up pairs applied
    uint64_t GetSyncCount() const;

    /**
     * TracedCallback signature for the offset from the grandmaster.
     * @param before the offset just before applying a Sync
     * @param after the offset just after
     */
    typedef void (*OffsetTracedCallback)(Time before, Time after);

  protected:
    void DoDispose() override;

  private:
    bool m_grandmaster{false};          ///< this is the grandmaster
    uint64_t m_clockIdentity{0};        ///< clockIdentity
    Ptr<LocalClock> m_clock;            ///< the node's clock
    Ptr<LocalClock> m_gmClock;          ///< ground truth reference
    std::vector<Ptr<GptpPort>> m_ports; ///< ports, portNumber = index + 1

    bool m_haveSync{false};    ///< a Sync was applied
    Time m_pot;                ///< its preciseOriginTimestamp
    double m_gmAtIngressNs{0}; ///< GM time at its ingress
    Time m_ingress;            ///< its ingress timestamp
    double m_rateRatio{1.0};   ///< GM/local rate ratio
    uint64_t m_syncCount{0};   ///< Sync/Follow_Up pairs applied

    TracedCallback<Time, Time> m_offsetTrace; ///< offset before/after each applied Sync
};

} // namespace ns3

#endif // FABTWIN_GPTP_INSTANCE_H
