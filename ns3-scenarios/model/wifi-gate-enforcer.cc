#include "wifi-gate-enforcer.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/qos-txop.h"
#include "ns3/qos-utils.h"
#include "ns3/wifi-mac-queue-scheduler.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-utils.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WifiGateEnforcer");
NS_OBJECT_ENSURE_REGISTERED(WifiGateEnforcer);

namespace
{
/// TID value meaning "no traffic class maps here".
constexpr uint8_t kNoTid = 0xFF;
/// The reason our blocks carry (see the class comment).
constexpr WifiQueueBlockedReason kReason = WifiQueueBlockedReason::TID_NOT_MAPPED;
} // namespace

TypeId
WifiGateEnforcer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::WifiGateEnforcer")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<WifiGateEnforcer>()
            .AddAttribute("Enabled",
                          "Enforce gate closures at the MAC's channel access (802.1Q-2018 "
                          "8.6.8.4 applied to the EDCA functions); false leaves the shaper as "
                          "queue admission only.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&WifiGateEnforcer::m_enabled),
                          MakeBooleanChecker())
            .AddTraceSource("Blocked",
                            "The blocked TIDs changed: TIDs blocked now (bit mask), MPDUs of the "
                            "TIDs just blocked held in the MAC until their gate reopens.",
                            MakeTraceSourceAccessor(&WifiGateEnforcer::m_blockedTrace),
                            "ns3::WifiGateEnforcer::BlockedTracedCallback");
    return tid;
}

WifiGateEnforcer::WifiGateEnforcer()
{
    m_tidOfTc.fill(kNoTid);
}

WifiGateEnforcer::~WifiGateEnforcer() = default;

void
WifiGateEnforcer::DoDispose()
{
    m_mac = nullptr;
    Object::DoDispose();
}

void
WifiGateEnforcer::SetMac(Ptr<WifiMac> mac)
{
    m_mac = mac;
}

void
WifiGateEnforcer::SetPeers(const std::vector<Mac48Address>& peers)
{
    m_peers = peers;
}

void
WifiGateEnforcer::SetTidOfTrafficClass(uint8_t tc, uint8_t tid)
{
    NS_ABORT_MSG_IF(tc >= 8 || tid >= 8,
                    "WifiGateEnforcer: traffic class " << +tc << " / TID " << +tid
                                                       << " out of range; allowed: 0..7");
    m_tidOfTc[tc] = tid;
}

uint8_t
WifiGateEnforcer::GetBlockedTids() const
{
    return m_blocked;
}

uint32_t
WifiGateEnforcer::QueuedMpdus(uint8_t tid) const
{
    auto queue = m_mac->GetQosTxop(tid)->GetWifiMacQueue();
    uint32_t n = 0;
    for (const auto& peer : m_peers)
    {
        n += queue->GetNPackets({WIFI_QOSDATA_QUEUE, WIFI_UNICAST, peer, tid});
    }
    return n;
}

void
WifiGateEnforcer::SetBlocked(uint8_t tid, bool block)
{
    auto txop = m_mac->GetQosTxop(tid);
    const AcIndex ac = QosUtilsMapTidToAc(tid);
    const Mac48Address own = m_mac->GetAddress();
    // Whether the EDCA function saw frames before the reopening (802.11-2020 10.23.2.2 a):
    // a function whose queue becomes non-empty on an idle medium may transmit after AIFS).
    const bool had = txop->HasFramesToTransmit(SINGLE_LINK_OP_ID);
    for (const auto& peer : m_peers)
    {
        if (block)
        {
            m_mac->GetMacQueueScheduler()->BlockQueues(
                kReason, ac, {WIFI_QOSDATA_QUEUE}, peer, own, {tid});
        }
        else
        {
            m_mac->GetMacQueueScheduler()->UnblockQueues(
                kReason, ac, {WIFI_QOSDATA_QUEUE}, peer, own, {tid});
        }
    }
    if (!block)
    {
        // The scheduler does not wake the EDCA function: ask it to contend for the frames
        // that waited behind the closed gate.
        txop->StartAccessAfterEvent(SINGLE_LINK_OP_ID, had, Txop::CHECK_MEDIUM_BUSY);
    }
}

void
WifiGateEnforcer::SetControlBlocked(AcIndex ac, bool block)
{
    const Mac48Address own = m_mac->GetAddress();
    auto scheduler = m_mac->GetMacQueueScheduler();
    for (const auto& peer : m_peers)
    {
        if (block)
        {
            scheduler->BlockQueues(kReason, ac, {WIFI_CTL_QUEUE}, peer, own);
        }
        else
        {
            scheduler->UnblockQueues(kReason, ac, {WIFI_CTL_QUEUE}, peer, own);
        }
    }
    if (!block)
    {
        m_mac->GetQosTxop(ac)->StartAccessAfterEvent(
            SINGLE_LINK_OP_ID, Txop::DIDNT_HAVE_FRAMES_TO_TRANSMIT, Txop::CHECK_MEDIUM_BUSY);
    }
}

void
WifiGateEnforcer::NotifyGateStates(uint8_t before, uint8_t after)
{
    if (!m_enabled || !m_mac)
    {
        return;
    }
    // A TID is gated closed while no traffic class that maps to it is open.
    uint8_t mapped = 0;
    uint8_t open = 0;
    for (uint8_t tc = 0; tc < 8; ++tc)
    {
        if (m_tidOfTc[tc] == kNoTid)
        {
            continue;
        }
        mapped |= 1u << m_tidOfTc[tc];
        if (after & (1u << tc))
        {
            open |= 1u << m_tidOfTc[tc];
        }
    }
    const uint8_t blocked = mapped & ~open;
    if (blocked == m_blocked)
    {
        return;
    }
    uint32_t held = 0;
    for (uint8_t tid = 0; tid < 8; ++tid)
    {
        const uint8_t bit = 1u << tid;
        if ((blocked & bit) && !(m_blocked & bit))
        {
            SetBlocked(tid, true);
            held += QueuedMpdus(tid);
        }
        else if (!(blocked & bit) && (m_blocked & bit))
        {
            SetBlocked(tid, false);
        }
    }
    // Block Ack Requests (the control queue of an access category, one per receiver, every TID
    // of the AC) are held while every gated TID of the AC is closed: a BAR after a discarded
    // MPDU must not start in another node's window either.
    uint8_t acsClosed = 0;
    for (uint8_t ac = 0; ac < 4; ++ac)
    {
        uint8_t tidsOfAc = 0;
        for (uint8_t tid = 0; tid < 8; ++tid)
        {
            if ((mapped & (1u << tid)) && QosUtilsMapTidToAc(tid) == ac)
            {
                tidsOfAc |= 1u << tid;
            }
        }
        if (tidsOfAc != 0 && (blocked & tidsOfAc) == tidsOfAc)
        {
            acsClosed |= 1u << ac;
        }
    }
    for (uint8_t ac = 0; ac < 4; ++ac)
    {
        const uint8_t bit = 1u << ac;
        if ((acsClosed & bit) != (m_blockedAcs & bit))
        {
            SetControlBlocked(static_cast<AcIndex>(ac), acsClosed & bit);
        }
    }
    m_blockedAcs = acsClosed;
    NS_LOG_DEBUG("gates " << +before << " -> " << +after << ": blocked TIDs " << +m_blocked
                          << " -> " << +blocked << ", " << held << " MPDUs held");
    m_blocked = blocked;
    m_blockedTrace(m_blocked, held);
}

} // namespace ns3
