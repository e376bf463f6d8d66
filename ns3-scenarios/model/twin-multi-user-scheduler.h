#ifndef FABTWIN_TWIN_MULTI_USER_SCHEDULER_H
#define FABTWIN_TWIN_MULTI_USER_SCHEDULER_H

#include "ns3/he-ru.h"
#include "ns3/mac48-address.h"
#include "ns3/multi-user-scheduler.h"
#include "ns3/rr-multi-user-scheduler.h"
#include "ns3/traced-callback.h"
#include "ns3/wifi-tx-vector.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief An 802.11ax AP multi-user scheduler whose DL and UL OFDMA schedule can be set from
 * outside (the twin's RL agent), with ns-3's round robin as the fallback.
 *
 * While an external schedule is in force, every DL MU PPDU holds exactly the scheduled DL
 * stations that have a frame queued (in schedule order, each on an RU of its requested size) and
 * every Basic Trigger Frame solicits exactly the scheduled UL stations (each on an RU of its
 * requested size). Stations without a Block Ack agreement for the TID (DL) or with the AP (UL)
 * are skipped: MU acknowledgment needs Block Ack (IEEE 802.11ax-2021 26.4.4). DL frames to
 * stations outside a DL schedule, and all DL frames when only a UL schedule is given, go out as
 * SU PPDUs. With no schedule, an RrMultiUserScheduler aggregated to the same AP decides, exactly
 * as it would on its own (its attributes are forwarded from this object's).
 *
 * RUs: all stations of one direction get RUs of one size, placed in the order of
 * HeRu::GetRusOfType (IEEE 802.11ax-2021 27.3.2.2 tone plan); ns-3 3.44 derives the RU
 * Allocation subfield of HE-SIG-B only for equal-size RUs per 20 MHz channel, hence the rule.
 */
class TwinMultiUserScheduler : public MultiUserScheduler
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TwinMultiUserScheduler();
    ~TwinMultiUserScheduler() override;

    /// One station of an external schedule.
    struct Assignment
    {
        Mac48Address station; ///< the station's MAC address
        HeRu::RuType ruType;  ///< size of its RU
    };

    /**
     * Replaces the schedule in force (both directions). Empty lists in both directions clear it.
     * The caller checks the lists with CheckRuRequest first.
     * @param dl stations of the next DL MU PPDUs, in RU order
     * @param ul stations of the next Basic Trigger Frames, in RU order
     */
    void SetSchedule(std::vector<Assignment> dl, std::vector<Assignment> ul);
    /// Clears the schedule: the round robin decides again.
    void ClearSchedule();
    /// @return whether an external schedule is in force
    bool HasSchedule() const;

    /**
     * @param tones RU size in tones
     * @return the RU type with that many tones, if any (26, 52, 106, 242, 484, 996)
     */
    static std::optional<HeRu::RuType> RuTypeOfTones(uint16_t tones);
    /**
     * @param width channel width
     * @return the RU sizes (tones) that fit a channel of that width (IEEE 802.11ax-2021 27.3.2.2)
     */
    static std::vector<uint16_t> AllowedRuTones(MHz_u width);
    /**
     * Checks the RU sizes requested for one direction.
     * @param width channel width
     * @param tones the requested RU sizes, one per station
     * @return empty if they can be granted, else why not (with the allowed values)
     */
    static std::string CheckRuRequest(MHz_u width, const std::vector<uint16_t>& tones);

    Time GetExtraTimeForBsrpTfDurationId(uint8_t linkId) const override;

    /**
     * TracedCallback signature of the ExternalMuPpdu trace source.
     * @param downlink true for a DL MU PPDU, false for a Basic Trigger Frame
     * @param txVector the DL MU TXVECTOR or the solicited HE TB TXVECTOR (one user per station)
     */
    typedef void (*ExternalMuPpduCallback)(bool downlink, const WifiTxVector& txVector);

  protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

  private:
    TxFormat SelectTxFormat() override;
    DlMuInfo ComputeDlMuInfo() override;
    UlMuInfo ComputeUlMuInfo() override;

    /// @return the round robin's decision (no schedule in force)
    TxFormat AskRoundRobin();
    /// Builds a Basic Trigger Frame for the UL schedule; NO_TX if it cannot be sent now.
    TxFormat TryExternalUl();
    /// Builds a DL MU PPDU for the DL schedule; SU_TX if no scheduled station has a frame.
    TxFormat TryExternalDl();
    /// @param station a station's MAC address
    /// @return its AID on the current link, if associated
    std::optional<uint16_t> AidOf(Mac48Address station) const;
    /// @param preamble HE_MU or HE_TB
    /// @return a TXVECTOR for an MU PPDU over the allowed width, without users
    WifiTxVector EmptyMuTxVector(WifiPreamble preamble) const;
    /// @param station a station's MAC address
    /// @return the MCS and NSS the station manager would use for data to it
    std::pair<uint8_t, uint8_t> UserMode(Mac48Address station) const;

    Ptr<RrMultiUserScheduler> m_rr; ///< the fallback round robin, aggregated to the same AP
    bool m_installing{false};       ///< aggregating m_rr (NotifyNewAggregate re-entry)
    bool m_lastFromRr{true};        ///< the last decision was the round robin's

    uint8_t m_nStations;    ///< forwarded to the round robin
    bool m_enableUlOfdma;   ///< forwarded to the round robin
    bool m_enableBsrp;      ///< forwarded to the round robin
    uint32_t m_ulPsduSize;  ///< PSDU size solicited when a station's buffer status is unknown
    bool m_useCentral26Rus; ///< forwarded to the round robin

    std::vector<Assignment> m_dl; ///< DL schedule in force
    std::vector<Assignment> m_ul; ///< UL schedule in force
    DlMuInfo m_dlInfo;            ///< DL MU PPDU built from the schedule
    UlMuInfo m_ulInfo;            ///< Basic Trigger Frame built from the schedule

    TracedCallback<bool, const WifiTxVector&> m_externalMuPpdu; ///< ExternalMuPpdu trace
};

} // namespace ns3

#endif // FABTWIN_TWIN_MULTI_USER_SCHEDULER_H
