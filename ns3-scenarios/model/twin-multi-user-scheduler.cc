#include "twin-multi-user-scheduler.h"

#include "ns3/ap-wifi-mac.h"
#include "ns3/boolean.h"
#include "ns3/he-configuration.h"
#include "ns3/he-frame-exchange-manager.h"
#include "ns3/he-phy.h"
#include "ns3/log.h"
#include "ns3/mpdu-aggregator.h"
#include "ns3/msdu-aggregator.h"
#include "ns3/qos-txop.h"
#include "ns3/uinteger.h"
#include "ns3/wifi-acknowledgment.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-protection.h"
#include "ns3/wifi-psdu.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TwinMultiUserScheduler");

NS_OBJECT_ENSURE_REGISTERED(TwinMultiUserScheduler);

namespace
{

/// RU sizes of HE PPDUs, IEEE 802.11ax-2021 27.3.2.2 (2x996 only spans 160 MHz as one RU).
constexpr std::pair<uint16_t, HeRu::RuType> kRuTones[] = {{26, HeRu::RU_26_TONE},
                                                          {52, HeRu::RU_52_TONE},
                                                          {106, HeRu::RU_106_TONE},
                                                          {242, HeRu::RU_242_TONE},
                                                          {484, HeRu::RU_484_TONE},
                                                          {996, HeRu::RU_996_TONE}};

/// Buffer Status values of the QoS Control Queue Size subfield (IEEE 802.11ax-2021 9.2.4.5.6):
/// 254 means "more than can be reported", 255 "unknown".
constexpr uint8_t kQueueSizeUnlimited = 254;
constexpr uint8_t kQueueSizeUnknown = 255;
/// Queue Size unit assumed for the reported value (the scaling factor 0: 256 octets).
constexpr uint32_t kQueueSizeUnitBytes = 256;

} // namespace

TypeId
TwinMultiUserScheduler::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TwinMultiUserScheduler")
            .SetParent<MultiUserScheduler>()
            .SetGroupName("Wifi")
            .AddConstructor<TwinMultiUserScheduler>()
            .AddAttribute("NStations",
                          "Round robin (no external schedule): the maximum number of stations "
                          "granted an RU in one MU PPDU",
                          UintegerValue(4),
                          MakeUintegerAccessor(&TwinMultiUserScheduler::m_nStations),
                          MakeUintegerChecker<uint8_t>(1, 74))
            .AddAttribute("EnableUlOfdma",
                          "Round robin (no external schedule): also solicit TB PPDUs",
                          BooleanValue(true),
                          MakeBooleanAccessor(&TwinMultiUserScheduler::m_enableUlOfdma),
                          MakeBooleanChecker())
            .AddAttribute("EnableBsrp",
                          "Round robin (no external schedule): send a BSRP Trigger Frame before "
                          "a Basic one",
                          BooleanValue(true),
                          MakeBooleanAccessor(&TwinMultiUserScheduler::m_enableBsrp),
                          MakeBooleanChecker())
            .AddAttribute("UlPsduSize",
                          "Size in bytes of the PSDU a Basic Trigger Frame asks of a station "
                          "whose buffer status the AP does not know (both schedulers)",
                          UintegerValue(500),
                          MakeUintegerAccessor(&TwinMultiUserScheduler::m_ulPsduSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("UseCentral26TonesRus",
                          "Round robin (no external schedule): also allocate central 26-tone RUs",
                          BooleanValue(false),
                          MakeBooleanAccessor(&TwinMultiUserScheduler::m_useCentral26Rus),
                          MakeBooleanChecker())
            .AddTraceSource("ExternalMuPpdu",
                            "A DL MU PPDU or Basic Trigger Frame was built from the external "
                            "schedule",
                            MakeTraceSourceAccessor(&TwinMultiUserScheduler::m_externalMuPpdu),
                            "ns3::TwinMultiUserScheduler::ExternalMuPpduCallback");
    return tid;
}

TwinMultiUserScheduler::TwinMultiUserScheduler()
{
    NS_LOG_FUNCTION(this);
}

TwinMultiUserScheduler::~TwinMultiUserScheduler()
{
    NS_LOG_FUNCTION_NOARGS();
}

void
TwinMultiUserScheduler::DoDispose()
{
    m_rr = nullptr;
    m_dl.clear();
    m_ul.clear();
    m_dlInfo = DlMuInfo();
    m_ulInfo = UlMuInfo();
    MultiUserScheduler::DoDispose();
}

void
TwinMultiUserScheduler::NotifyNewAggregate()
{
    if (m_installing)
    {
        // Re-entered while the round robin joins the aggregate: register later, after it.
        Object::NotifyNewAggregate();
        return;
    }
    if (!m_apMac && !m_rr)
    {
        if (auto apMac = GetObject<ApWifiMac>())
        {
            m_installing = true;
            m_rr = CreateObject<RrMultiUserScheduler>();
            m_rr->SetAttribute("NStations", UintegerValue(m_nStations));
            m_rr->SetAttribute("EnableUlOfdma", BooleanValue(m_enableUlOfdma));
            m_rr->SetAttribute("EnableBsrp", BooleanValue(m_enableBsrp));
            m_rr->SetAttribute("UlPsduSize", UintegerValue(m_ulPsduSize));
            m_rr->SetAttribute("UseCentral26TonesRus", BooleanValue(m_useCentral26Rus));
            // The round robin registers itself with the AP's frame exchange managers...
            apMac->AggregateObject(m_rr);
            m_installing = false;
        }
    }
    // ... and this scheduler registers afterwards, so the managers ask this one.
    MultiUserScheduler::NotifyNewAggregate();
}

void
TwinMultiUserScheduler::SetSchedule(std::vector<Assignment> dl, std::vector<Assignment> ul)
{
    NS_LOG_FUNCTION(this << dl.size() << ul.size());
    m_dl = std::move(dl);
    m_ul = std::move(ul);
}

void
TwinMultiUserScheduler::ClearSchedule()
{
    NS_LOG_FUNCTION(this);
    m_dl.clear();
    m_ul.clear();
}

bool
TwinMultiUserScheduler::HasSchedule() const
{
    return !m_dl.empty() || !m_ul.empty();
}

std::optional<HeRu::RuType>
TwinMultiUserScheduler::RuTypeOfTones(uint16_t tones)
{
    for (const auto& [t, type] : kRuTones)
    {
        if (t == tones)
        {
            return type;
        }
    }
    return std::nullopt;
}

std::vector<uint16_t>
TwinMultiUserScheduler::AllowedRuTones(MHz_u width)
{
    std::vector<uint16_t> out;
    for (const auto& [t, type] : kRuTones)
    {
        if (HeRu::GetBandwidth(type) <= width)
        {
            out.push_back(t);
        }
    }
    return out;
}

std::string
TwinMultiUserScheduler::CheckRuRequest(MHz_u width, const std::vector<uint16_t>& tones)
{
    if (tones.empty())
    {
        return "";
    }
    auto allowed = AllowedRuTones(width);
    std::ostringstream list;
    for (std::size_t i = 0; i < allowed.size(); ++i)
    {
        list << (i ? ", " : "") << allowed[i];
    }
    for (auto t : tones)
    {
        if (std::find(allowed.begin(), allowed.end(), t) == allowed.end())
        {
            return "ru_tones " + std::to_string(t) + ": allowed for a " +
                   std::to_string(static_cast<int>(width)) + " MHz channel: " + list.str() +
                   " (IEEE 802.11ax-2021 27.3.2.2)";
        }
    }
    for (auto t : tones)
    {
        if (t != tones.front())
        {
            return "ru_tones: all stations of one direction take RUs of one size (got " +
                   std::to_string(tones.front()) + " and " + std::to_string(t) +
                   "; ns-3 3.44 signals only equal-size RUs per 20 MHz in HE-SIG-B)";
        }
    }
    auto type = *RuTypeOfTones(tones.front());
    std::size_t n = HeRu::GetNRus(width, type);
    if (tones.size() > n)
    {
        return "ru_tones: " + std::to_string(tones.size()) + " RUs of " +
               std::to_string(tones.front()) + " tones do not fit a " +
               std::to_string(static_cast<int>(width)) + " MHz channel: at most " +
               std::to_string(n) + " (IEEE 802.11ax-2021 27.3.2.2)";
    }
    return "";
}

Time
TwinMultiUserScheduler::GetExtraTimeForBsrpTfDurationId(uint8_t linkId) const
{
    // Only the round robin sends BSRP Trigger Frames.
    return m_rr ? m_rr->GetExtraTimeForBsrpTfDurationId(linkId)
                : MultiUserScheduler::GetExtraTimeForBsrpTfDurationId(linkId);
}

MultiUserScheduler::TxFormat
TwinMultiUserScheduler::AskRoundRobin()
{
    m_lastFromRr = true;
    return m_rr->NotifyAccessGranted(
        m_edca, m_availableTime, m_initialFrame, m_allowedWidth, m_linkId);
}

MultiUserScheduler::TxFormat
TwinMultiUserScheduler::SelectTxFormat()
{
    NS_LOG_FUNCTION(this);
    NS_ASSERT(m_rr);
    if (!HasSchedule())
    {
        return AskRoundRobin();
    }
    m_lastFromRr = false;
    Ptr<const WifiMpdu> mpdu = m_edca->PeekNextMpdu(m_linkId);
    if (mpdu && !m_apMac->GetHeSupported(mpdu->GetHeader().GetAddr1()))
    {
        return SU_TX;
    }
    // One Basic Trigger Frame per TXOP at most, before the DL MU PPDU of the same TXOP.
    if (!m_ul.empty() && (m_initialFrame || GetLastTxFormat(m_linkId) != UL_MU_TX))
    {
        TxFormat ul = TryExternalUl();
        if (ul != SU_TX)
        {
            return ul;
        }
    }
    if (m_dl.empty())
    {
        return SU_TX;
    }
    return TryExternalDl();
}

MultiUserScheduler::DlMuInfo
TwinMultiUserScheduler::ComputeDlMuInfo()
{
    if (m_lastFromRr)
    {
        return std::move(m_rr->GetDlMuInfo(m_linkId));
    }
    return std::move(m_dlInfo);
}

MultiUserScheduler::UlMuInfo
TwinMultiUserScheduler::ComputeUlMuInfo()
{
    if (m_lastFromRr)
    {
        return std::move(m_rr->GetUlMuInfo(m_linkId));
    }
    return std::move(m_ulInfo);
}

std::optional<uint16_t>
TwinMultiUserScheduler::AidOf(Mac48Address station) const
{
    for (const auto& [aid, address] : m_apMac->GetStaList(m_linkId))
    {
        if (address == station)
        {
            return aid;
        }
    }
    return std::nullopt;
}

WifiTxVector
TwinMultiUserScheduler::EmptyMuTxVector(WifiPreamble preamble) const
{
    auto he = m_apMac->GetHeConfiguration();
    WifiTxVector txVector;
    txVector.SetPreambleType(preamble);
    txVector.SetChannelWidth(m_allowedWidth);
    txVector.SetGuardInterval(he->GetGuardInterval());
    txVector.SetBssColor(he->m_bssColor);
    return txVector;
}

std::pair<uint8_t, uint8_t>
TwinMultiUserScheduler::UserMode(Mac48Address station) const
{
    WifiMacHeader hdr(WIFI_MAC_QOSDATA);
    hdr.SetAddr1(station);
    hdr.SetAddr2(m_apMac->GetAddress());
    auto su = GetWifiRemoteStationManager(m_linkId)->GetDataTxVector(hdr, m_allowedWidth);
    return {su.GetMode().GetMcsValue(), su.GetNss()};
}

MultiUserScheduler::TxFormat
TwinMultiUserScheduler::TryExternalUl()
{
    NS_LOG_FUNCTION(this);
    // Solicited stations must have a Block Ack agreement with the AP: the TB PPDUs are
    // acknowledged by a Multi-STA BlockAck (IEEE 802.11ax-2021 26.4.4.5).
    auto rus = HeRu::GetRusOfType(m_allowedWidth, m_ul.front().ruType);
    WifiTxVector txVector = EmptyMuTxVector(WIFI_PREAMBLE_HE_TB);
    std::size_t next = 0;
    for (const auto& a : m_ul)
    {
        auto aid = AidOf(a.station);
        bool agreement = false;
        for (uint8_t tid = 0; tid < 8 && !agreement; ++tid)
        {
            agreement = m_apMac->GetBaAgreementEstablishedAsRecipient(a.station, tid).has_value();
        }
        if (!aid || !agreement || next == rus.size())
        {
            NS_LOG_DEBUG("UL schedule: skipping " << a.station);
            continue;
        }
        auto [mcs, nss] = UserMode(a.station);
        txVector.SetHeMuUserInfo(*aid, {rus[next++], mcs, nss});
    }
    if (txVector.GetHeMuUserInfoMap().empty())
    {
        return SU_TX;
    }

    CtrlTriggerHeader trigger(TriggerFrameType::BASIC_TRIGGER, txVector);
    txVector.SetGuardInterval(trigger.GetGuardInterval());
    auto item = GetTriggerFrame(trigger, m_linkId);
    WifiTxParameters txParams;
    txParams.m_txVector = GetWifiRemoteStationManager(m_linkId)->GetRtsTxVector(
        item->GetHeader().GetAddr1(), m_allowedWidth);
    if (!GetHeFem(m_linkId)->TryAddMpdu(item, txParams, m_availableTime))
    {
        NS_LOG_DEBUG("UL schedule: no time left for the Trigger Frame in this TXOP");
        return NO_TX;
    }
    // The TB PPDU may last at most aPPDUMaxTime (IEEE 802.11ax-2021 Table 27-54: 5.484 ms) and
    // must end, with SIFS and the Multi-STA BlockAck, within the TXOP.
    auto phy = m_apMac->GetWifiPhy(m_linkId);
    Time maxDuration = GetPpduMaxTime(txVector.GetPreambleType());
    if (m_availableTime != Time::Min())
    {
        maxDuration =
            Min(maxDuration,
                m_availableTime - *txParams.m_protection->protectionTime - *txParams.m_txDuration -
                    phy->GetSifs() - *txParams.m_acknowledgment->acknowledgmentTime);
        if (maxDuration.IsNegative())
        {
            return NO_TX;
        }
    }
    // Long enough for the largest reported buffer (UlPsduSize where unknown or empty).
    Time duration;
    for (const auto& [aid, info] : txVector.GetHeMuUserInfoMap())
    {
        auto address = m_apMac->GetStaList(m_linkId).at(aid);
        uint8_t queueSize = m_apMac->GetMaxBufferStatus(address);
        Time need = maxDuration;
        if (queueSize != kQueueSizeUnlimited)
        {
            uint32_t bytes = (queueSize == kQueueSizeUnknown || queueSize == 0)
                                 ? m_ulPsduSize
                                 : std::max(m_ulPsduSize, queueSize * kQueueSizeUnitBytes);
            need = WifiPhy::CalculateTxDuration(bytes, txVector, phy->GetPhyBand(), aid);
        }
        duration = Max(duration, Min(need, maxDuration));
    }
    uint16_t ulLength;
    std::tie(ulLength, duration) =
        HePhy::ConvertHeTbPpduDurationToLSigLength(duration, txVector, phy->GetPhyBand());
    trigger.SetUlLength(ulLength);
    for (auto& userInfo : trigger)
    {
        // Preferred AC: the AC that won the medium; the station may also send higher ACs.
        userInfo.SetBasicTriggerDepUserInfo(0, 0, m_edca->GetAccessCategory());
    }
    m_ulInfo = UlMuInfo{trigger, item->GetHeader(), std::move(txParams)};
    NS_LOG_DEBUG("UL schedule: Basic TF for " << txVector.GetHeMuUserInfoMap().size()
                                              << " stations, TB PPDU " << duration.As(Time::US));
    m_externalMuPpdu(false, trigger.GetHeTbTxVector(trigger.begin()->GetAid12()));
    return UL_MU_TX;
}

MultiUserScheduler::TxFormat
TwinMultiUserScheduler::TryExternalDl()
{
    NS_LOG_FUNCTION(this);
    // TIDs the DL MU PPDU may carry: those of the AC that won the medium and of higher ACs
    // (TXOP sharing, IEEE 802.11ax-2021 26.2.2 / 10.23.2.7).
    AcIndex primaryAc = m_edca->GetAccessCategory();
    std::vector<uint8_t> tids;
    for (auto it = wifiAcList.find(primaryAc); it != wifiAcList.end(); ++it)
    {
        tids.push_back(it->second.GetHighTid());
        tids.push_back(it->second.GetLowTid());
    }
    auto rus = HeRu::GetRusOfType(m_allowedWidth, m_dl.front().ruType);
    auto fem = GetHeFem(m_linkId);
    WifiTxParameters txParams;
    txParams.m_txVector = EmptyMuTxVector(WIFI_PREAMBLE_HE_MU);
    std::vector<std::pair<uint16_t, Ptr<WifiMpdu>>> users;
    for (const auto& a : m_dl)
    {
        auto aid = AidOf(a.station);
        if (!aid || users.size() == rus.size())
        {
            continue;
        }
        for (uint8_t tid : tids)
        {
            // DL MU PPDUs are acknowledged with Block Acks (IEEE 802.11ax-2021 26.4.4).
            if (!m_apMac->GetBaAgreementEstablishedAsOriginator(a.station, tid))
            {
                continue;
            }
            Ptr<WifiMpdu> mpdu = m_apMac->GetQosTxop(QosUtilsMapTidToAc(tid))
                                     ->PeekNextMpdu(m_linkId, tid, a.station);
            if (!mpdu)
            {
                continue;
            }
            mpdu = fem->CreateAliasIfNeeded(mpdu);
            auto [mcs, nss] = UserMode(a.station);
            WifiTxVector before = txParams.m_txVector;
            txParams.m_txVector.SetHeMuUserInfo(*aid, {rus[users.size()], mcs, nss});
            if (!fem->TryAddMpdu(mpdu, txParams, m_availableTime))
            {
                txParams.m_txVector = before;
                continue;
            }
            users.emplace_back(*aid, mpdu);
            break;
        }
    }
    if (users.empty())
    {
        NS_LOG_DEBUG("DL schedule: no scheduled station has a frame that fits");
        return SU_TX;
    }
    // The PPDU is final: recompute its parameters, then aggregate each user's PSDU.
    DlMuInfo info;
    info.txParams.m_txVector = txParams.m_txVector;
    for (const auto& [aid, mpdu] : users)
    {
        bool fits = fem->TryAddMpdu(mpdu, info.txParams, m_availableTime);
        NS_ABORT_MSG_IF(!fits, "an MPDU that fitted no longer fits its RU");
    }
    for (const auto& [aid, mpdu] : users)
    {
        Ptr<WifiMpdu> item = mpdu;
        if (!mpdu->GetHeader().IsRetry())
        {
            if (auto amsdu =
                    fem->GetMsduAggregator()->GetNextAmsdu(mpdu, info.txParams, m_availableTime))
            {
                item = amsdu;
            }
            m_apMac->GetQosTxop(QosUtilsMapTidToAc(item->GetHeader().GetQosTid()))
                ->AssignSequenceNumber(item);
        }
        auto ampdu = fem->GetMpduAggregator()->GetNextAmpdu(item, info.txParams, m_availableTime);
        info.psduMap[aid] =
            ampdu.size() > 1 ? Create<WifiPsdu>(std::move(ampdu)) : Create<WifiPsdu>(item, true);
    }
    m_dlInfo = std::move(info);
    NS_LOG_DEBUG("DL schedule: DL MU PPDU for " << users.size() << " stations");
    m_externalMuPpdu(true, m_dlInfo.txParams.m_txVector);
    return DL_MU_TX;
}

} // namespace ns3
