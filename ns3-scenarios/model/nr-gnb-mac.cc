#include "nr-gnb-mac.h"

#include "nr-tbs-calculator.h"
#include "nr-ue-mac.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrGnbMac");
NS_OBJECT_ENSURE_REGISTERED(NrGnbMac);

namespace
{
/// HARQ processes per UE and direction (TS 38.331 nrofHARQ-ProcessesForPDSCH up to 16).
constexpr uint8_t kHarqProcesses = 16;
/// RBs of one PDCCH carrying an UL grant (a stand-in for its CCEs).
constexpr uint32_t kPdcchRbs = 4;
} // namespace

TypeId
NrGnbMac::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrGnbMac")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrGnbMac>()
            .AddAttribute("LinkAdaptation",
                          "MCS selection (table and target BLER).",
                          PointerValue(),
                          MakePointerAccessor(&NrGnbMac::m_la),
                          MakePointerChecker<NrLinkAdaptation>())
            .AddAttribute(
                "ControlRbs",
                "RBs of the PDCCH region at the bottom of the carrier, kept free of PDSCH "
                "in DL mini-slots (4 RBs per UL grant).",
                UintegerValue(8),
                MakeUintegerAccessor(&NrGnbMac::m_controlRbs),
                MakeUintegerChecker<uint32_t>(kPdcchRbs))
            .AddAttribute("DmrsRePerPrb",
                          "DM-RS REs per PRB counted by the TBS (N^PRB_DMRS of TS 38.214 "
                          "§5.1.3.2): 12 = one DM-RS symbol without data.",
                          UintegerValue(12),
                          MakeUintegerAccessor(&NrGnbMac::m_dmrsRePerPrb),
                          MakeUintegerChecker<uint32_t>(0, 48))
            .AddAttribute("InitialSinrDb",
                          "SINR assumed for link adaptation before a UE's first report (dB).",
                          DoubleValue(10.0),
                          MakeDoubleAccessor(&NrGnbMac::m_initialSinrDb),
                          MakeDoubleChecker<double>())
            .AddTraceSource("Scheduled",
                            "A DL assignment or UL grant: rnti, downlink, HARQ process, MCS, RBs, "
                            "TBS bytes, retransmission.",
                            MakeTraceSourceAccessor(&NrGnbMac::m_schedTrace),
                            "ns3::NrGnbMac::SchedTracedCallback")
            .AddTraceSource("Drop",
                            "A DL SDU was dropped: larger than a TB on the whole band at the MCS "
                            "of link adaptation (no RLC segmentation).",
                            MakeTraceSourceAccessor(&NrGnbMac::m_dropTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("HarqDrop",
                            "A TB failed HarqMaxTransmissions times: rnti, downlink, process.",
                            MakeTraceSourceAccessor(&NrGnbMac::m_harqDropTrace),
                            "ns3::NrGnbMac::HarqDropTracedCallback")
            .AddTraceSource("HarqDropSdu",
                            "An SDU of a TB that failed HarqMaxTransmissions times (fired per SDU "
                            "after HarqDrop; not for an UL TB whose PUSCH never arrived).",
                            MakeTraceSourceAccessor(&NrGnbMac::m_harqDropSduTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

NrGnbMac::NrGnbMac()
    : m_la(CreateObject<NrLinkAdaptation>())
    , m_controlRbs(8)
    , m_dmrsRePerPrb(12)
    , m_initialSinrDb(10.0)
{
    NS_LOG_FUNCTION(this);
}

void
NrGnbMac::DoDispose()
{
    m_phy = nullptr;
    m_timing = nullptr;
    m_la = nullptr;
    m_ues.clear();
    m_deliver = DeliverCallback();
    Object::DoDispose();
}

void
NrGnbMac::Configure(Ptr<NrSpectrumPhy> phy, Ptr<NrLatencyModel> timing, uint16_t cellId)
{
    m_phy = phy;
    m_timing = timing;
    m_cellId = cellId;
    m_phy->SetIdentity(cellId, 0);
    m_phy->SetRxCallback(MakeCallback(&NrGnbMac::PhyRx, this));
    m_cgReserved.assign(m_phy->GetNumRbs(), false);
    for (uint32_t i = 0; i < NrUeMac::PUCCH_RBS && i < m_cgReserved.size(); ++i)
    {
        m_cgReserved[m_cgReserved.size() - 1 - i] = true; // PUCCH region
    }
}

void
NrGnbMac::AddUe(uint16_t rnti)
{
    NS_ABORT_MSG_IF(rnti == 0, "NrGnbMac: RNTI must be > 0");
    Ue ue;
    ue.dl.resize(kHarqProcesses);
    ue.ulTx.assign(kHarqProcesses, 0);
    ue.dlSinr = std::pow(10.0, m_initialSinrDb / 10);
    ue.ulSinr = ue.dlSinr;
    m_ues[rnti] = ue;
}

void
NrGnbMac::ReserveCgRbs(uint16_t rnti, uint32_t firstRb, uint32_t numRbs)
{
    NS_LOG_FUNCTION(this << rnti << firstRb << numRbs);
    NS_ABORT_MSG_IF(firstRb + numRbs > m_cgReserved.size(), "NrGnbMac: CG RBs outside the carrier");
    for (uint32_t rb = firstRb; rb < firstRb + numRbs; ++rb)
    {
        m_cgReserved[rb] = true;
    }
}

void
NrGnbMac::SetPriority(uint16_t rnti, double priority)
{
    auto it = m_ues.find(rnti);
    NS_ABORT_MSG_IF(it == m_ues.end(), "NrGnbMac: unknown RNTI " << rnti);
    it->second.priorityDl = priority;
    it->second.priorityUl = priority;
}

void
NrGnbMac::SetPriority(uint16_t rnti, bool downlink, double priority)
{
    auto it = m_ues.find(rnti);
    NS_ABORT_MSG_IF(it == m_ues.end(), "NrGnbMac: unknown RNTI " << rnti);
    (downlink ? it->second.priorityDl : it->second.priorityUl) = priority;
}

uint32_t
NrGnbMac::GetDlQueuePackets(uint16_t rnti) const
{
    auto it = m_ues.find(rnti);
    return it == m_ues.end() ? 0 : it->second.dlQueue.size();
}

void
NrGnbMac::HarqDrop(uint16_t rnti,
                   bool downlink,
                   uint8_t harqId,
                   Ptr<const NrSpectrumSignalParameters> tb)
{
    m_harqDropTrace(rnti, downlink, harqId);
    if (tb)
    {
        for (const auto& sdu : tb->sdus)
        {
            m_harqDropSduTrace(sdu);
        }
    }
}

void
NrGnbMac::SetDeliverCallback(DeliverCallback cb)
{
    m_deliver = cb;
}

void
NrGnbMac::Enqueue(uint16_t rnti, Ptr<Packet> p, uint16_t protocol)
{
    auto it = m_ues.find(rnti);
    NS_ABORT_MSG_IF(it == m_ues.end(), "NrGnbMac: unknown RNTI " << rnti);
    it->second.dlQueue.push_back({p, protocol, NrLatencyModel::TimeToTc(Simulator::Now())});
}

void
NrGnbMac::Start()
{
    const uint64_t first =
        m_timing->FirstSymbolAtOrAfter(NrLatencyModel::TimeToTc(Simulator::Now()));
    const uint32_t len = m_timing->GetFrameStructure()->GetAllocationSymbols();
    const uint64_t unit = (first + len - 1) / len * len; // unit grid within a slot
    uint64_t s = unit;
    if (s % NrNumerology::SYMBOLS_PER_SLOT + len > NrNumerology::SYMBOLS_PER_SLOT)
    {
        s = (s / NrNumerology::SYMBOLS_PER_SLOT + 1) * NrNumerology::SYMBOLS_PER_SLOT;
    }
    Simulator::Schedule(m_timing->StartTime(s) - Simulator::Now(), &NrGnbMac::Tick, this, s);
}

void
NrGnbMac::Tick(uint64_t unit)
{
    auto fs = m_timing->GetFrameStructure();
    const uint32_t len = fs->GetAllocationSymbols();
    if (fs->AllOf(unit, fs->GetCoresetSymbols(), NrTddPattern::Direction::DL))
    {
        ScheduleUl(unit);
    }
    if (fs->AllOf(unit, len, NrTddPattern::Direction::DL))
    {
        ScheduleDl(unit);
    }
    // Next unit: the next start on the grid k*L of this or the next slot.
    uint64_t next = unit + len;
    if (next % NrNumerology::SYMBOLS_PER_SLOT + len > NrNumerology::SYMBOLS_PER_SLOT)
    {
        next = (next / NrNumerology::SYMBOLS_PER_SLOT + 1) * NrNumerology::SYMBOLS_PER_SLOT;
    }
    Simulator::Schedule(m_timing->StartTime(next) - Simulator::Now(), &NrGnbMac::Tick, this, next);
}

std::vector<uint16_t>
NrGnbMac::Order(bool downlink) const
{
    std::vector<std::tuple<double, int64_t, uint16_t>> keys;
    for (const auto& [rnti, ue] : m_ues)
    {
        int64_t oldest = std::numeric_limits<int64_t>::max();
        if (downlink)
        {
            for (const auto& h : ue.dl)
            {
                if (h.retxPending)
                {
                    oldest = std::min(oldest, h.readyTc);
                }
            }
            if (!ue.dlQueue.empty())
            {
                oldest = std::min(oldest, ue.dlQueue.front().arrivalTc);
            }
        }
        else if (!ue.grants.empty())
        {
            oldest = ue.grants.front().readyTc;
        }
        keys.emplace_back(downlink ? -ue.priorityDl : -ue.priorityUl, oldest, rnti);
    }
    std::sort(keys.begin(), keys.end());
    std::vector<uint16_t> order;
    for (const auto& k : keys)
    {
        order.push_back(std::get<2>(k));
    }
    return order;
}

std::pair<uint32_t, uint32_t>
NrGnbMac::Fit(
    uint32_t bytes, uint8_t mcs, NrMcsTable::Table table, uint32_t symbols, uint32_t maxRbs) const
{
    const auto& row = NrMcsTable::GetRow(table, mcs);
    for (uint32_t n = 1; n <= maxRbs; ++n)
    {
        const uint32_t tbs = NrTbsCalculator::GetTbs(
            {n, symbols, m_dmrsRePerPrb, 0, row.qm, row.rateX1024 / 1024.0, 1});
        if (tbs / 8 >= bytes)
        {
            return {n, tbs / 8};
        }
    }
    return {0, 0};
}

void
NrGnbMac::ScheduleUl(uint64_t pdcch)
{
    auto fs = m_timing->GetFrameStructure();
    const int64_t now = m_timing->Start(pdcch);
    uint32_t grantsSent = 0;
    for (uint16_t rnti : Order(false))
    {
        Ue& ue = m_ues[rnti];
        while (!ue.grants.empty() && ue.grants.front().readyTc + m_timing->GnbSchedulingTc() <= now)
        {
            if ((grantsSent + 1) * kPdcchRbs > m_controlRbs)
            {
                return; // no PDCCH room left in this occasion
            }
            const PendingGrant g = ue.grants.front();
            // TS 38.214 §6.4: PUSCH no earlier than T_proc,2 after the PDCCH's end.
            const int64_t pdcchEnd = m_timing->Start(pdcch + fs->GetCoresetSymbols());
            const uint64_t unit = fs->NextDataOccasion(
                m_timing->FirstSymbolAtOrAfter(pdcchEnd + m_timing->GetTproc2Tc()),
                NrTddPattern::Direction::UL);
            const auto [first, end] =
                fs->GetSharedChannelSymbols(unit, NrTddPattern::Direction::UL);
            auto& used = m_ulUsed[unit];
            if (used.empty())
            {
                used = m_cgReserved;
            }
            uint32_t freeRun = 0; // longest run of free RBs and where it starts
            uint32_t freeStart = 0;
            for (uint32_t rb = 0, run = 0; rb < used.size(); ++rb)
            {
                run = used[rb] ? 0 : run + 1;
                if (run > freeRun)
                {
                    freeRun = run;
                    freeStart = rb + 1 - run;
                }
            }
            auto dci = Create<NrSpectrumSignalParameters>();
            dci->kind = NrSpectrumSignalParameters::Kind::UL_GRANT;
            dci->cellId = m_cellId;
            dci->rnti = rnti;
            dci->downlink = true;
            uint32_t rbs;
            if (g.retx)
            {
                // TS 38.321 §5.4.2.1: same HARQ process, NDI not toggled, same TB.
                dci->newData = false;
                dci->harqId = g.retx->harqId;
                dci->mcs = g.retx->mcs;
                dci->table = g.retx->table;
                dci->tbsBytes = g.retx->tbsBytes;
                rbs = g.retx->numRbs;
            }
            else
            {
                uint8_t h = NrUeMac::CG_HARQ_PROCESSES;
                while (h < kHarqProcesses && ue.ulTx[h] > 0)
                {
                    ++h;
                }
                if (h == kHarqProcesses)
                {
                    break; // all UL processes busy
                }
                const auto la = m_la->SelectMcs(ue.ulSinr);
                dci->newData = true;
                dci->harqId = h;
                dci->mcs = la.mcs;
                dci->table = m_la->GetTable();
                auto [n, tbs] = Fit(g.bytes, la.mcs, m_la->GetTable(), end - first, freeRun);
                if (n == 0 && freeRun > 0)
                {
                    // the request does not fit: grant what is free (the UE sends a BSR)
                    const auto& row = NrMcsTable::GetRow(m_la->GetTable(), la.mcs);
                    n = freeRun;
                    tbs = NrTbsCalculator::GetTbs({n,
                                                   uint32_t(end - first),
                                                   m_dmrsRePerPrb,
                                                   0,
                                                   row.qm,
                                                   row.rateX1024 / 1024.0,
                                                   1}) /
                          8;
                }
                rbs = n;
                dci->tbsBytes = tbs;
            }
            if (rbs == 0 || rbs > freeRun)
            {
                break; // no room in that PUSCH unit: retry at the next PDCCH occasion
            }
            for (uint32_t rb = freeStart; rb < freeStart + rbs; ++rb)
            {
                used[rb] = true;
            }
            dci->grant = {first, uint32_t(end - first), freeStart, rbs};
            // on air: one PDCCH of kPdcchRbs RBs in the control region, CORESET symbols
            dci->firstRb = grantsSent * kPdcchRbs;
            dci->numRbs = kPdcchRbs;
            dci->startSymbol = pdcch;
            dci->numSymbols = fs->GetCoresetSymbols();
            ++grantsSent;
            ue.ulTx[dci->harqId] += 1;
            if (!g.retx && g.bytes == m_timing->GetSrGrantBytes())
            {
                ue.srGrantOutstanding = true;
            }
            m_expectedPusch[{rnti, first}] = dci->harqId;
            Simulator::Schedule(m_timing->StartTime(end) - Simulator::Now() +
                                    NrNumerology::TcToTime(m_timing->GnbDecodingTc()),
                                &NrGnbMac::CheckPusch,
                                this,
                                rnti,
                                uint64_t(first),
                                g.retx ? g.retx->tbsBytes : g.bytes);
            m_schedTrace(rnti, false, dci->harqId, dci->mcs, rbs, dci->tbsBytes, g.retx != nullptr);
            SendAt(dci);
            ue.grants.pop_front();
        }
    }
}

void
NrGnbMac::ScheduleDl(uint64_t unit)
{
    auto fs = m_timing->GetFrameStructure();
    const int64_t now = m_timing->Start(unit);
    const auto [first, end] = fs->GetSharedChannelSymbols(unit, NrTddPattern::Direction::DL);
    const uint32_t nRbs = m_phy->GetNumRbs();
    // Mini-slot PDSCHs share their first symbol with PDCCHs: keep the control RBs free.
    uint32_t nextRb = fs->IsMiniSlot() ? std::min(m_controlRbs, nRbs) : 0;
    for (uint16_t rnti : Order(true))
    {
        Ue& ue = m_ues[rnti];
        Ptr<NrSpectrumSignalParameters> tb;
        // 1. a pending retransmission: same TB, same MCS and RB count (TS 38.214 §5.1.3.1 lets
        //    the gNB change them; this scheduler does not).
        for (uint8_t h = 0; h < kHarqProcesses && !tb; ++h)
        {
            DlHarq& p = ue.dl[h];
            if (p.retxPending && p.readyTc + m_timing->GnbSchedulingTc() <= now &&
                nextRb + p.tb->numRbs <= nRbs)
            {
                tb = Create<NrSpectrumSignalParameters>(*p.tb);
                tb->newData = false;
                p.retxPending = false;
                p.tx += 1;
                tb->txIndex = p.tx;
            }
        }
        // 2. new data
        if (!tb)
        {
            uint8_t h = 0;
            while (h < kHarqProcesses && ue.dl[h].busy)
            {
                ++h;
            }
            if (h == kHarqProcesses || ue.dlQueue.empty() ||
                ue.dlQueue.front().arrivalTc + m_timing->GnbSchedulingTc() > now)
            {
                continue;
            }
            const auto la = m_la->SelectMcs(ue.dlSinr);
            tb = Create<NrSpectrumSignalParameters>();
            tb->kind = NrSpectrumSignalParameters::Kind::DATA;
            tb->cellId = m_cellId;
            tb->rnti = rnti;
            tb->downlink = true;
            tb->harqId = h;
            tb->newData = true;
            tb->mcs = la.mcs;
            tb->table = m_la->GetTable();
            // as many whole eligible SDUs as fit the free RBs
            uint32_t bytes = 0;
            std::pair<uint32_t, uint32_t> fit{0, 0};
            size_t taken = 0;
            for (const auto& s : ue.dlQueue)
            {
                if (s.arrivalTc + m_timing->GnbSchedulingTc() > now)
                {
                    break;
                }
                const uint32_t b =
                    bytes + s.packet->GetSize() + NrLatencyModel::MAC_SUBHEADER_BYTES;
                const auto f = Fit(b, la.mcs, tb->table, end - first, nRbs - nextRb);
                if (f.first == 0)
                {
                    break;
                }
                bytes = b;
                fit = f;
                ++taken;
            }
            if (taken == 0)
            {
                // No RLC segmentation: an SDU that would not fit even the whole data band at this
                // MCS can never be sent; drop it instead of blocking the queue.
                const uint32_t band = nRbs - (fs->IsMiniSlot() ? std::min(m_controlRbs, nRbs) : 0);
                const uint32_t head =
                    ue.dlQueue.front().packet->GetSize() + NrLatencyModel::MAC_SUBHEADER_BYTES;
                if (Fit(head, la.mcs, tb->table, end - first, band).first == 0)
                {
                    NS_LOG_WARN("DL SDU of " << head << " bytes never fits a TB; dropped");
                    m_dropTrace(ue.dlQueue.front().packet);
                    ue.dlQueue.pop_front();
                }
                continue; // (else it does not fit what is left of this unit)
            }
            for (size_t i = 0; i < taken; ++i)
            {
                tb->sdus.push_back(ue.dlQueue.front().packet);
                tb->protocols.push_back(ue.dlQueue.front().protocol);
                tb->arrivalTc.push_back(ue.dlQueue.front().arrivalTc);
                ue.dlQueue.pop_front();
            }
            tb->numRbs = fit.first;
            tb->tbsBytes = fit.second;
            ue.dl[h].busy = true;
            ue.dl[h].tx = 1;
        }
        tb->firstRb = nextRb;
        tb->startSymbol = first;
        tb->numSymbols = end - first;
        if (tb->newData)
        {
            tb->firstTxTc = m_timing->Start(first);
        }
        nextRb += tb->numRbs;
        DlHarq& proc = ue.dl[tb->harqId];
        proc.tb = tb;
        m_schedTrace(rnti, true, tb->harqId, tb->mcs, tb->numRbs, tb->tbsBytes, !tb->newData);
        SendAt(tb);
    }
}

void
NrGnbMac::CheckPusch(uint16_t rnti, uint64_t startSymbol, uint32_t bytes)
{
    auto it = m_expectedPusch.find({rnti, startSymbol});
    if (it == m_expectedPusch.end())
    {
        return; // received (decoded or not) and handled in PhyRx
    }
    Ue& ue = m_ues[rnti];
    const uint8_t h = it->second;
    m_expectedPusch.erase(it);
    NS_LOG_DEBUG("RNTI " << rnti << ": no PUSCH at symbol " << startSymbol << ", grant again");
    if (ue.ulTx[h] >= m_timing->GetHarqMaxTransmissions())
    {
        HarqDrop(rnti, false, h, nullptr); // the gNB never saw the TB's SDUs
        ue.ulTx[h] = 0;
        ue.srGrantOutstanding = false;
        return;
    }
    ue.ulTx[h] = 0; // the UE never used the process: grant new data again
    ue.grants.push_back({NrLatencyModel::TimeToTc(Simulator::Now()), bytes, nullptr});
}

void
NrGnbMac::SendAt(Ptr<NrSpectrumSignalParameters> p)
{
    Simulator::Schedule(
        m_timing->StartTime(p->startSymbol) - Simulator::Now(), &NrGnbMac::TransmitNow, this, p);
}

void
NrGnbMac::TransmitNow(Ptr<NrSpectrumSignalParameters> p)
{
    const Time d = m_timing->StartTime(p->startSymbol + p->numSymbols) - Simulator::Now();
    m_phy->Transmit(p, d);
}

void
NrGnbMac::PhyRx(Ptr<const NrSpectrumSignalParameters> p, double sinr, bool ok)
{
    NS_LOG_FUNCTION(this << p->rnti << +static_cast<uint8_t>(p->kind) << sinr << ok);
    auto it = m_ues.find(p->rnti);
    if (it == m_ues.end())
    {
        return;
    }
    Ue& ue = it->second;
    const int64_t end = m_timing->Start(p->startSymbol + p->numSymbols);
    switch (p->kind)
    {
        case NrSpectrumSignalParameters::Kind::SR:
            // A repeated SR while the answer to the first is queued or on its way asks for
            // nothing new (TS 38.321 §5.4.4: the UE repeats a pending SR on every occasion; one
            // grant cancels it). Answering each copy would spend a PDCCH and a PUSCH per copy.
            if (ok && !ue.srGrantOutstanding &&
                std::none_of(ue.grants.begin(),
                             ue.grants.end(),
                             [this](const PendingGrant& g)
                             { return !g.retx && g.bytes == m_timing->GetSrGrantBytes(); }))
            {
                ue.grants.push_back({end, m_timing->GetSrGrantBytes(), nullptr});
            }
            break;
        case NrSpectrumSignalParameters::Kind::HARQ_ACK:
        {
            DlHarq& h = ue.dl[p->harqId];
            if (ok && p->reportedSinr > 0)
            {
                ue.dlSinr = p->reportedSinr;
            }
            if (!h.busy)
            {
                break;
            }
            if (ok && p->ack)
            {
                h = DlHarq{};
            }
            else if (h.tx >= m_timing->GetHarqMaxTransmissions())
            {
                HarqDrop(p->rnti, true, p->harqId, h.tb);
                h = DlHarq{};
            }
            else
            {
                h.retxPending = true; // NACK, or a HARQ-ACK we could not decode
                h.readyTc = end;
            }
            break;
        }
        case NrSpectrumSignalParameters::Kind::DATA:
        {
            ue.ulSinr = sinr;
            ue.srGrantOutstanding = false;
            m_expectedPusch.erase({p->rnti, p->startSymbol});
            const int64_t decoded = end + m_timing->GnbDecodingTc();
            const bool cg = p->harqId < NrUeMac::CG_HARQ_PROCESSES;
            if (cg && p->newData)
            {
                ue.ulTx[p->harqId] = 1;
            }
            if (ok)
            {
                ue.ulTx[p->harqId] = 0;
                const Time at = NrNumerology::TcToTime(decoded) + m_timing->GetCoreNetworkDelay() -
                                Simulator::Now();
                NrPacketRecord rec;
                rec.grant = p->grantTc < 0 ? Seconds(-1) : NrNumerology::TcToTime(p->grantTc);
                rec.firstTx = NrNumerology::TcToTime(p->firstTxTc);
                rec.lastTx = m_timing->StartTime(p->startSymbol);
                rec.airtime = NrNumerology::TcToTime(end) - rec.lastTx;
                rec.delivered = NrNumerology::TcToTime(decoded) + m_timing->GetCoreNetworkDelay();
                rec.transmissions = p->txIndex;
                rec.sinrDb = sinr > 0 ? 10 * std::log10(sinr) : -999.0;
                rec.mcs = p->mcs;
                rec.mcsTable = static_cast<uint8_t>(p->table);
                for (size_t i = 0; i < p->sdus.size(); ++i)
                {
                    rec.arrival = NrNumerology::TcToTime(p->arrivalTc.at(i));
                    Simulator::Schedule(at,
                                        [this,
                                         rnti = p->rnti,
                                         pkt = p->sdus[i]->Copy(),
                                         proto = p->protocols[i],
                                         rec]()
                                        {
                                            if (!m_deliver.IsNull())
                                            {
                                                m_deliver(rnti, pkt, proto, rec);
                                            }
                                        });
                }
                if (p->bufferBytes > 0)
                {
                    ue.grants.push_back({decoded, p->bufferBytes, nullptr}); // BSR
                }
            }
            else if (ue.ulTx[p->harqId] >= m_timing->GetHarqMaxTransmissions())
            {
                HarqDrop(p->rnti, false, p->harqId, p);
                ue.ulTx[p->harqId] = 0;
            }
            else
            {
                ue.grants.push_back({decoded, 0, p}); // retransmission grant
            }
            break;
        }
        default:
            break;
    }
}

} // namespace ns3
