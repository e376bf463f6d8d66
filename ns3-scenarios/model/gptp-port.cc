#include "gptp-port.h"

#include "gptp-instance.h"
#include "gptp-tag.h"
#include "local-clock.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/integer.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GptpPort");
NS_OBJECT_ENSURE_REGISTERED(GptpPort);

namespace
{
constexpr size_t kMaxRxTimestamps = 256; ///< bound on remembered ingress timestamps

/// @return 2^log seconds
Time
LogInterval(int8_t log)
{
    return Seconds(std::ldexp(1.0, log));
}
} // namespace

TypeId
GptpPort::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GptpPort")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<GptpPort>()
            .AddAttribute("Role",
                          "Static port role (externalPortConfigurationEnabled, no BMCA).",
                          EnumValue(GptpPort::SLAVE),
                          MakeEnumAccessor<Role>(&GptpPort::m_role),
                          MakeEnumChecker(GptpPort::MASTER, "Master", GptpPort::SLAVE, "Slave"))
            .AddAttribute("LogSyncInterval",
                          "log2 of the Sync interval in s (802.1AS-2020 10.7.2.3; -3 = 125 ms).",
                          IntegerValue(-3),
                          MakeIntegerAccessor(&GptpPort::m_logSyncInterval),
                          MakeIntegerChecker<int8_t>(-10, 10))
            .AddAttribute("LogPdelayReqInterval",
                          "log2 of the Pdelay_Req interval in s (802.1AS-2020 11.5.2.2; 0 = 1 s).",
                          IntegerValue(0),
                          MakeIntegerAccessor(&GptpPort::m_logPdelayInterval),
                          MakeIntegerChecker<int8_t>(-10, 10))
            .AddAttribute("PdelayInitiator",
                          "Run the peer-delay initiator on this port (the responder always runs).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&GptpPort::m_pdelayInitiator),
                          MakeBooleanChecker())
            .AddAttribute("AllowedLostResponses",
                          "Consecutive lost Pdelay exchanges tolerated before asCapable is "
                          "cleared (802.1AS-2020 11.5.3, default 9).",
                          UintegerValue(9),
                          MakeUintegerAccessor(&GptpPort::m_allowedLost),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RateRatioWindow",
                          "Number of Pdelay intervals the neighborRateRatio is measured over "
                          "(oldest retained exchange to newest).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&GptpPort::m_rateRatioWindow),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("NeighborPropDelayThresh",
                          "Largest meanLinkDelay for which the port is asCapable. 802.1AS uses "
                          "800 ns on copper Ethernet; the default is large because over Wi-Fi "
                          "the timestamp points may include PHY preamble time.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&GptpPort::m_propDelayThresh),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("FollowUpDelay",
                          "Wait after the last TX report of a Sync / Pdelay_Resp before sending "
                          "its (Pdelay_Resp_)Follow_Up, so a MAC retransmission can still "
                          "update the egress timestamp (0: send at the first report).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&GptpPort::m_followUpDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("SoftwareTimestamps",
                          "Take timestamps when a message is handed to the send callback and "
                          "when Receive() is called, instead of at NotifyTransmitted / "
                          "NotifyReceived.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&GptpPort::m_softwareTimestamps),
                          MakeBooleanChecker())
            .AddTraceSource("Pdelay",
                            "A peer-delay exchange completed: meanLinkDelay, neighborRateRatio.",
                            MakeTraceSourceAccessor(&GptpPort::m_pdelayTrace),
                            "ns3::GptpPort::PdelayTracedCallback")
            .AddTraceSource("Tx",
                            "A gPTP message was handed to the send callback.",
                            MakeTraceSourceAccessor(&GptpPort::m_txTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Rx",
                            "A gPTP message was received.",
                            MakeTraceSourceAccessor(&GptpPort::m_rxTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

GptpPort::GptpPort()
{
    NS_LOG_FUNCTION(this);
}

GptpPort::~GptpPort() = default;

void
GptpPort::DoDispose()
{
    Stop();
    m_send = SendCallback();
    m_instance = nullptr;
    Object::DoDispose();
}

void
GptpPort::SetSendCallback(SendCallback cb)
{
    m_send = cb;
}

void
GptpPort::SetPeerAddress(const Address& peer)
{
    m_peer = peer;
}

Address
GptpPort::GetPeerAddress() const
{
    return m_peer;
}

void
GptpPort::SetInstance(GptpInstance* instance, uint16_t portNumber)
{
    m_instance = instance;
    m_portNumber = portNumber;
}

uint16_t
GptpPort::GetPortNumber() const
{
    return m_portNumber;
}

GptpPort::Role
GptpPort::GetRole() const
{
    return m_role;
}

void
GptpPort::SetRole(Role role)
{
    m_role = role;
}

Ptr<LocalClock>
GptpPort::Clock() const
{
    return m_instance->GetClock();
}

uint64_t
GptpPort::ClockIdentity() const
{
    return m_instance->GetClockIdentity();
}

void
GptpPort::Start()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_instance == nullptr, "GptpPort: add the port to a GptpInstance first");
    NS_ABORT_MSG_IF(m_send.IsNull(), "GptpPort: no send callback");
    Stop();
    if (m_pdelayInitiator)
    {
        m_pdelayEvent = Simulator::ScheduleNow(&GptpPort::SendPdelayReq, this);
    }
    if (m_role == MASTER)
    {
        m_syncEvent = Simulator::ScheduleNow(&GptpPort::SendSync, this);
    }
}

void
GptpPort::Stop()
{
    m_syncEvent.Cancel();
    m_followUpEvent.Cancel();
    m_pdelayEvent.Cancel();
    m_respFollowUpEvent.Cancel();
}

GptpHeader
GptpPort::MakeHeader(GptpHeader::MessageType type, uint16_t seq) const
{
    GptpHeader hdr(type);
    hdr.SetSequenceId(seq);
    hdr.SetSourcePortIdentity(ClockIdentity(), m_portNumber);
    switch (type)
    {
        case GptpHeader::SYNC:
        case GptpHeader::FOLLOW_UP:
            hdr.SetLogMessageInterval(m_logSyncInterval);
            break;
        case GptpHeader::PDELAY_REQ:
            hdr.SetLogMessageInterval(m_logPdelayInterval);
            break;
        default:
            hdr.SetLogMessageInterval(0x7F); // 11.4.2.9: 0x7F in Pdelay_Resp[_Follow_Up]
            break;
    }
    return hdr;
}

void
GptpPort::SendMessage(const GptpHeader& hdr)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(hdr);
    p->AddPacketTag(
        GptpTag(ClockIdentity(), m_portNumber, hdr.GetMessageType(), hdr.GetSequenceId()));
    NS_LOG_DEBUG("port " << m_portNumber << " sends " << hdr);
    m_txTrace(p);
    m_send(p, m_peer);
}

void
GptpPort::NotifyTransmitted(Ptr<const Packet> packet, Time ago)
{
    GptpTag tag;
    if (m_instance == nullptr || !packet->PeekPacketTag(tag) ||
        tag.GetClockIdentity() != ClockIdentity() || tag.GetPortNumber() != m_portNumber ||
        m_softwareTimestamps)
    {
        return;
    }
    const Time ts = Clock()->GetTimestamp(Simulator::Now() - ago);
    if (tag.GetMessageType() == GptpHeader::SYNC && m_syncPending &&
        tag.GetSequenceId() == m_pendingSyncSeq)
    {
        m_syncEgress = ts;
        m_followUpEvent.Cancel();
        m_followUpEvent = Simulator::Schedule(m_followUpDelay, &GptpPort::SendFollowUp, this);
    }
    else if (tag.GetMessageType() == GptpHeader::PDELAY_REQ && m_pdelayOutstanding &&
             tag.GetSequenceId() == m_pdelaySeq)
    {
        m_t1 = ts;
        m_haveT1 = true;
    }
    else if (tag.GetMessageType() == GptpHeader::PDELAY_RESP && m_respPending &&
             tag.GetSequenceId() == m_respSeq)
    {
        m_respEgress = ts;
        m_respFollowUpEvent.Cancel();
        m_respFollowUpEvent =
            Simulator::Schedule(m_followUpDelay, &GptpPort::SendPdelayRespFollowUp, this);
    }
}

void
GptpPort::NotifyReceived(Ptr<const Packet> packet, Time ago)
{
    GptpTag tag;
    if (m_instance == nullptr || !packet->PeekPacketTag(tag) ||
        tag.GetClockIdentity() == ClockIdentity() || m_softwareTimestamps)
    {
        return;
    }
    const TsKey key{
        tag.GetClockIdentity(), tag.GetPortNumber(), tag.GetMessageType(), tag.GetSequenceId()};
    const Time ts = Clock()->GetTimestamp(Simulator::Now() - ago);
    auto [it, inserted] = m_rxTimestamps.insert_or_assign(key, ts);
    if (inserted)
    {
        m_rxOrder.push_back(key);
        if (m_rxOrder.size() > kMaxRxTimestamps)
        {
            m_rxTimestamps.erase(m_rxOrder.front());
            m_rxOrder.pop_front();
        }
    }
}

bool
GptpPort::TakeRxTimestamp(const TsKey& key, Time* ts)
{
    if (m_softwareTimestamps)
    {
        *ts = Clock()->GetTimestamp();
        return true;
    }
    auto it = m_rxTimestamps.find(key);
    if (it == m_rxTimestamps.end())
    {
        // No RX hook for this message: fall back to a timestamp at delivery.
        NS_LOG_WARN("port " << m_portNumber << ": no RX timestamp reported, using delivery time");
        *ts = Clock()->GetTimestamp();
        return false;
    }
    *ts = it->second;
    return true;
}

void
GptpPort::Receive(Ptr<const Packet> packet)
{
    GptpHeader hdr;
    if (packet->PeekHeader(hdr) == 0)
    {
        return;
    }
    NS_LOG_DEBUG("port " << m_portNumber << " receives " << hdr);
    m_rxTrace(packet);
    switch (hdr.GetMessageType())
    {
        case GptpHeader::SYNC:
            HandleSync(hdr);
            break;
        case GptpHeader::FOLLOW_UP:
            HandleFollowUp(hdr);
            break;
        case GptpHeader::PDELAY_REQ:
            HandlePdelayReq(hdr);
            break;
        case GptpHeader::PDELAY_RESP:
            HandlePdelayResp(hdr);
            break;
        case GptpHeader::PDELAY_RESP_FOLLOW_UP:
            HandlePdelayRespFollowUp(hdr);
            break;
    }
}

// ---- master: Sync / Follow_Up (802.1AS-2020 11.2.15 MDSyncSendSM) ----

void
GptpPort::SendSync()
{
    m_syncEvent = Simulator::Schedule(LogInterval(m_logSyncInterval), &GptpPort::SendSync, this);
    if (!m_asCapable || !m_instance->CanSendSync())
    {
        NS_LOG_DEBUG("port " << m_portNumber << ": no Sync (asCapable=" << m_asCapable << ")");
        return;
    }
    m_followUpEvent.Cancel();
    m_pendingSyncSeq = m_syncSeq++;
    m_syncPending = true;
    SendMessage(MakeHeader(GptpHeader::SYNC, m_pendingSyncSeq));
    if (m_softwareTimestamps)
    {
        m_syncEgress = Clock()->GetTimestamp();
        m_followUpEvent = Simulator::Schedule(m_followUpDelay, &GptpPort::SendFollowUp, this);
    }
}

void
GptpPort::SendFollowUp()
{
    if (!m_syncPending)
    {
        return;
    }
    m_syncPending = false;
    Time pot;
    double correctionNs = 0;
    double rateRatio = 1.0;
    m_instance->GetFollowUpFields(m_syncEgress, &pot, &correctionNs, &rateRatio);
    GptpHeader hdr = MakeHeader(GptpHeader::FOLLOW_UP, m_pendingSyncSeq);
    hdr.SetTimestamp(pot);
    hdr.SetCorrectionNs(correctionNs);
    hdr.SetRateRatio(rateRatio);
    SendMessage(hdr);
}

// ---- slave: Sync / Follow_Up (802.1AS-2020 11.2.14 MDSyncReceiveSM) ----

void
GptpPort::HandleSync(const GptpHeader& hdr)
{
    if (m_role != SLAVE)
    {
        return;
    }
    TakeRxTimestamp(TsKey{hdr.GetSourceClockIdentity(),
                          hdr.GetSourcePortNumber(),
                          GptpHeader::SYNC,
                          hdr.GetSequenceId()},
                    &m_syncIngress);
    m_rxSyncSeq = hdr.GetSequenceId();
    m_haveSync = true;
}

void
GptpPort::HandleFollowUp(const GptpHeader& hdr)
{
    if (m_role != SLAVE || !m_haveSync || hdr.GetSequenceId() != m_rxSyncSeq)
    {
        return; // a Follow_Up whose Sync was lost is useless
    }
    m_haveSync = false;
    if (!m_asCapable)
    {
        NS_LOG_DEBUG("port " << m_portNumber << ": Follow_Up ignored, not asCapable");
        return;
    }
    m_instance->ProcessSync(hdr.GetTimestamp(),
                            hdr.GetCorrectionNs(),
                            hdr.GetRateRatio(),
                            m_syncIngress,
                            m_neighborRateRatio,
                            m_meanLinkDelay);
}

// ---- peer delay, initiator (802.1AS-2020 11.2.19 MDPdelayReq) ----

void
GptpPort::SendPdelayReq()
{
    m_pdelayEvent =
        Simulator::Schedule(LogInterval(m_logPdelayInterval), &GptpPort::SendPdelayReq, this);
    if (m_pdelayOutstanding)
    {
        // The previous exchange did not complete within the interval.
        ++m_lostResponses;
        if (m_lostResponses > m_allowedLost && m_asCapable)
        {
            NS_LOG_DEBUG("port " << m_portNumber << ": " << m_lostResponses
                                 << " lost Pdelay exchanges, not asCapable");
            m_asCapable = false;
            m_rateRatioValid = false;
            m_rrHistory.clear();
        }
    }
    m_pdelaySeq++;
    m_pdelayOutstanding = true;
    m_haveT1 = false;
    m_haveT2T4 = false;
    SendMessage(MakeHeader(GptpHeader::PDELAY_REQ, m_pdelaySeq));
    if (m_softwareTimestamps)
    {
        m_t1 = Clock()->GetTimestamp();
        m_haveT1 = true;
    }
}

void
GptpPort::HandlePdelayResp(const GptpHeader& hdr)
{
    if (!m_pdelayOutstanding || hdr.GetSequenceId() != m_pdelaySeq ||
        hdr.GetRequestingClockIdentity() != ClockIdentity() ||
        hdr.GetRequestingPortNumber() != m_portNumber)
    {
        return;
    }
    m_t2 = hdr.GetTimestamp();
    TakeRxTimestamp(TsKey{hdr.GetSourceClockIdentity(),
                          hdr.GetSourcePortNumber(),
                          GptpHeader::PDELAY_RESP,
                          hdr.GetSequenceId()},
                    &m_t4);
    m_haveT2T4 = true;
}

void
GptpPort::HandlePdelayRespFollowUp(const GptpHeader& hdr)
{
    if (!m_pdelayOutstanding || !m_haveT2T4 || hdr.GetSequenceId() != m_pdelaySeq ||
        hdr.GetRequestingClockIdentity() != ClockIdentity() ||
        hdr.GetRequestingPortNumber() != m_portNumber)
    {
        return;
    }
    if (!m_haveT1)
    {
        NS_LOG_WARN("port " << m_portNumber << ": Pdelay_Req egress never reported (TX hook?)");
        return;
    }
    m_t3 = hdr.GetTimestamp();
    CompletePdelay();
}

void
GptpPort::CompletePdelay()
{
    m_pdelayOutstanding = false;
    m_lostResponses = 0;
    // computePdelayRateRatio (11.2.19.3.3): ratio of the responder's to our frequency, measured
    // from the oldest retained exchange to this one.
    m_rrHistory.emplace_back(m_t3, m_t4);
    while (m_rrHistory.size() > m_rateRatioWindow + 1)
    {
        m_rrHistory.pop_front();
    }
    if (m_rrHistory.size() >= 2)
    {
        const double d3 = static_cast<double>(
            (m_rrHistory.back().first - m_rrHistory.front().first).GetNanoSeconds());
        const double d4 = static_cast<double>(
            (m_rrHistory.back().second - m_rrHistory.front().second).GetNanoSeconds());
        const double nrr = d4 > 0 ? d3 / d4 : 0.0;
        if (std::abs(nrr - 1.0) < 1e-3) // more than 1000 ppm apart: not a valid measurement
        {
            m_neighborRateRatio = nrr;
            m_rateRatioValid = true;
        }
        else
        {
            NS_LOG_WARN("port " << m_portNumber << ": implausible neighborRateRatio " << nrr);
            m_rrHistory.clear();
            m_rateRatioValid = false;
        }
    }
    // computePropTime (11.2.19.3.4), in the responder's time base.
    const double t41 = static_cast<double>((m_t4 - m_t1).GetNanoSeconds()) * m_neighborRateRatio;
    const double t32 = static_cast<double>((m_t3 - m_t2).GetNanoSeconds());
    m_meanLinkDelay = NanoSeconds(std::llround((t41 - t32) / 2.0));
    m_asCapable = m_rateRatioValid && m_meanLinkDelay <= m_propDelayThresh;
    NS_LOG_DEBUG("port " << m_portNumber << ": meanLinkDelay " << m_meanLinkDelay.GetNanoSeconds()
                         << " ns, nRR " << m_neighborRateRatio << ", asCapable " << m_asCapable);
    m_pdelayTrace(m_meanLinkDelay, m_neighborRateRatio);
}

// ---- peer delay, responder (802.1AS-2020 11.2.20 MDPdelayResp) ----

void
GptpPort::HandlePdelayReq(const GptpHeader& hdr)
{
    Time t2;
    TakeRxTimestamp(TsKey{hdr.GetSourceClockIdentity(),
                          hdr.GetSourcePortNumber(),
                          GptpHeader::PDELAY_REQ,
                          hdr.GetSequenceId()},
                    &t2);
    m_respFollowUpEvent.Cancel();
    m_respSeq = hdr.GetSequenceId();
    m_respReqClock = hdr.GetSourceClockIdentity();
    m_respReqPort = hdr.GetSourcePortNumber();
    m_respPending = true;
    GptpHeader resp = MakeHeader(GptpHeader::PDELAY_RESP, m_respSeq);
    resp.SetTimestamp(t2);
    resp.SetRequestingPortIdentity(m_respReqClock, m_respReqPort);
    SendMessage(resp);
    if (m_softwareTimestamps)
    {
        m_respEgress = Clock()->GetTimestamp();
        m_respFollowUpEvent =
            Simulator::Schedule(m_followUpDelay, &GptpPort::SendPdelayRespFollowUp, this);
    }
}

void
GptpPort::SendPdelayRespFollowUp()
{
    if (!m_respPending)
    {
        return;
    }
    m_respPending = false;
    GptpHeader fu = MakeHeader(GptpHeader::PDELAY_RESP_FOLLOW_UP, m_respSeq);
    fu.SetTimestamp(m_respEgress);
    fu.SetRequestingPortIdentity(m_respReqClock, m_respReqPort);
    SendMessage(fu);
}

bool
GptpPort::IsAsCapable() const
{
    return m_asCapable;
}

Time
GptpPort::GetMeanLinkDelay() const
{
    return m_meanLinkDelay;
}

double
GptpPort::GetNeighborRateRatio() const
{
    return m_neighborRateRatio;
}

Time
GptpPort::GetSyncInterval() const
{
    return LogInterval(m_logSyncInterval);
}

} // namespace ns3
