// FactoryCell's OFDMA: the TwinMultiUserScheduler on the AP, MU EDCA, the Block Ack warm-up and
// the external schedule of ADVANCE (docs/wifi.md "OFDMA with an external scheduler").

#include "factory-cell.h"

#include "ns3/ap-wifi-mac.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/frame-exchange-manager.h"
#include "ns3/log.h"
#include "ns3/qos-txop.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <set>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FactoryCellOfdma");

using namespace twinproto;

namespace
{

/// EtherType of the untagged warm-up frames that open the Block Ack agreements.
constexpr uint16_t kWarmupEtherType = 0x88B6;
/// Upper bound on the Block Ack warm-up.
const Time kMaxBaWarmup = Seconds(2);
/// Warm-up polling interval.
const Time kBaWarmupPoll = MilliSeconds(1);
/// Resend period of warm-up frames for flows whose agreements are still missing.
const Time kBaWarmupResend = MilliSeconds(20);

} // namespace

void
FactoryCell::InstallOfdma()
{
    const auto& od = m_desc.wifi.ofdma;
    if (!od.present)
    {
        return;
    }
    auto apMac = m_devices[m_ap]->GetMac();
    auto sched = CreateObject<TwinMultiUserScheduler>();
    sched->SetAttribute("NStations", UintegerValue(od.maxStations));
    sched->SetAttribute("EnableUlOfdma", BooleanValue(od.ul));
    sched->SetAttribute("UlPsduSize", UintegerValue(od.ulPsduSizeBytes));
    sched->SetAttribute("AccessReqInterval",
                        TimeValue(od.ul ? MicroSeconds(od.ulAccessIntervalUs) : Time(0)));
    // Access requests for UL triggers use AC_VO, whose TXOP (limit 2.080 ms, IEEE
    // 802.11ax-2021 Table 9-155) lets the round robin follow its BSRP Trigger Frame with a Basic
    // one; with AC_BE (limit 0) every request would end after the BSRP. Basic Trigger Frames
    // then prefer AC_VO, the control flows' AC.
    sched->SetAttribute("AccessReqAc", EnumValue(AC_VO));
    apMac->AggregateObject(sched); // what WifiMacHelper::SetMultiUserScheduler does
    m_muScheduler = sched;
}

void
FactoryCell::WarmUpOfdma()
{
    if (!m_muScheduler)
    {
        return;
    }
    // MU PPDUs are acknowledged with Block Acks (IEEE 802.11ax-2021 26.4.4): one untagged frame
    // per flow opens the agreements of its hops now rather than at the flow's first packet.
    auto apMac = m_devices[m_ap]->GetMac();
    Mac48Address apAddr = apMac->GetAddress();
    // Flows whose agreements are still missing.
    auto missing = [&]()
    {
        std::string out;
        for (const auto& f : m_desc.flows)
        {
            if (f.radio == "nr")
            {
                continue; // no Wi-Fi hop
            }
            Mac48Address dst = m_devices[f.dst]->GetMac()->GetAddress();
            if ((f.src != m_ap &&
                 !m_devices[f.src]->GetMac()->GetBaAgreementEstablishedAsOriginator(apAddr,
                                                                                    f.tid)) ||
                (f.dst != m_ap && !apMac->GetBaAgreementEstablishedAsOriginator(dst, f.tid)))
            {
                out += (out.empty() ? "" : ", ") + f.name;
            }
        }
        return out;
    };
    // A failed ADDBA exchange (requests of many stations collide) is not retried until new
    // frames arrive: resend for the flows still missing.
    auto sendWarmupFrames = [&](bool all)
    {
        for (const auto& f : m_desc.flows)
        {
            if (f.radio == "nr")
            {
                continue; // no Wi-Fi hop
            }
            Mac48Address dst = m_devices[f.dst]->GetMac()->GetAddress();
            bool up =
                f.src == m_ap ||
                m_devices[f.src]->GetMac()->GetBaAgreementEstablishedAsOriginator(apAddr, f.tid);
            bool down = f.dst == m_ap || apMac->GetBaAgreementEstablishedAsOriginator(dst, f.tid);
            if (all || !up || !down)
            {
                Ptr<Packet> p = Create<Packet>(1);
                SocketPriorityTag prio;
                prio.SetPriority(f.tid);
                p->AddPacketTag(prio);
                m_devices[f.src]->Send(p, m_devices[f.dst]->GetAddress(), kWarmupEtherType);
            }
        }
    };
    sendWarmupFrames(true);
    const Time start = Simulator::Now();
    Time lastSend = start;
    while (!missing().empty() && Simulator::Now() - start < kMaxBaWarmup)
    {
        Simulator::Stop(kBaWarmupPoll);
        Simulator::Run();
        if (Simulator::Now() - lastSend >= kBaWarmupResend)
        {
            sendWarmupFrames(false);
            lastSend = Simulator::Now();
        }
    }
    if (auto flows = missing(); !flows.empty())
    {
        throw std::runtime_error("wifi.ofdma: Block Ack agreements not set up after " +
                                 std::to_string(kMaxBaWarmup.GetSeconds()) +
                                 " s of warm-up for flows " + flows);
    }
    if (m_desc.wifi.ofdma.ul && m_desc.wifi.ofdma.muEdcaTimerMs > 0)
    {
        // A warm-up frame resent for an agreement that has just formed may be in its exchange;
        // MU EDCA must not start under it (ns-3 asserts when a station whose EDCA is disabled
        // updates its CW after that exchange fails). Let such exchanges end first; frames still
        // queued go in the stations' first TB PPDUs.
        auto busy = [this]()
        {
            for (const auto& sta : m_staMacs)
            {
                if (sta &&
                    sta->GetFrameExchangeManager(SINGLE_LINK_OP_ID)->GetWifiTxTimer().IsRunning())
                {
                    return true;
                }
            }
            return false;
        };
        while (busy() && Simulator::Now() - start < kMaxBaWarmup)
        {
            Simulator::Stop(kBaWarmupPoll);
            Simulator::Run();
        }
        // MU EDCA (IEEE 802.11ax-2021 9.4.2.251, 26.2.7): AIFSN 0 disables a station's EDCA
        // for the timer after its data went out in a TB PPDU, so its uplink waits for the AP's
        // triggers. Set on the stations now, as an MU EDCA Parameter Set element would: from
        // association on, a disabled station could not send its ADDBA responses. Twin time 0
        // starts as if every station had just been served in a TB PPDU.
        const Time timer = MicroSeconds(std::llround(m_desc.wifi.ofdma.muEdcaTimerMs * 1000));
        for (const auto& sta : m_staMacs)
        {
            for (auto ac : {AC_BE, AC_BK, AC_VI, AC_VO})
            {
                if (!sta)
                {
                    continue;
                }
                auto edca = sta->GetQosTxop(ac);
                edca->SetMuCwMin(edca->GetMinCw(SINGLE_LINK_OP_ID), SINGLE_LINK_OP_ID);
                edca->SetMuCwMax(edca->GetMaxCw(SINGLE_LINK_OP_ID), SINGLE_LINK_OP_ID);
                edca->SetMuAifsn(0, SINGLE_LINK_OP_ID);
                edca->SetMuEdcaTimer(timer, SINGLE_LINK_OP_ID);
                edca->StartMuEdcaTimerNow(SINGLE_LINK_OP_ID);
            }
        }
    }
}

std::optional<FactoryCell::MuSchedule>
FactoryCell::CheckMuSchedule(const std::vector<MuScheduleRecord>& recs) const
{
    if (recs.empty())
    {
        return std::nullopt;
    }
    if (!m_muScheduler)
    {
        throw std::invalid_argument("MU schedule records: this cell has no OFDMA (add a "
                                    "cell.wifi.ofdma section to schedule MU PPDUs)");
    }
    MuSchedule out;
    std::vector<uint16_t> tones[2];
    std::set<uint32_t> seen[2];
    const uint32_t n = m_nodes.GetN();
    for (const auto& r : recs)
    {
        if (r.node == kMuClear)
        {
            continue; // the other records (none: an empty schedule) replace the schedule
        }
        const std::string what = "MU schedule record (node " + std::to_string(r.node) + "): ";
        if (r.direction > 1)
        {
            throw std::invalid_argument(what + "direction " + std::to_string(r.direction) +
                                        ": allowed 0 (DL) or 1 (UL)");
        }
        if (r.direction == 1 && !m_desc.wifi.ofdma.ul)
        {
            throw std::invalid_argument(what + "direction 1 (UL): this cell has DL OFDMA only "
                                               "(cell.wifi.ofdma.ul: false)");
        }
        if (r.node >= n || r.node == m_ap || !IsAssociated(r.node))
        {
            throw std::invalid_argument(what + "node: must be an associated station, 0.." +
                                        std::to_string(n - 1) + " except the AP (node " +
                                        std::to_string(m_ap) + ")");
        }
        if (!seen[r.direction].insert(r.node).second)
        {
            throw std::invalid_argument(what + "node: listed twice for direction " +
                                        std::to_string(r.direction));
        }
        tones[r.direction].push_back(r.ru_tones);
        auto err =
            TwinMultiUserScheduler::CheckRuRequest(m_desc.wifi.channelWidthMhz, {r.ru_tones});
        if (!err.empty())
        {
            throw std::invalid_argument(what + err);
        }
        auto& list = r.direction == 0 ? out.first : out.second;
        list.push_back({m_devices[r.node]->GetMac()->GetAddress(),
                        *TwinMultiUserScheduler::RuTypeOfTones(r.ru_tones)});
    }
    for (int dir = 0; dir < 2; ++dir)
    {
        auto err = TwinMultiUserScheduler::CheckRuRequest(m_desc.wifi.channelWidthMhz, tones[dir]);
        if (!err.empty())
        {
            throw std::invalid_argument(std::string("MU schedule ") + (dir ? "UL" : "DL") + ": " +
                                        err);
        }
    }
    return out;
}

} // namespace ns3
