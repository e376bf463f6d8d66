#include "nr-ue-mac.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrUeMac");
NS_OBJECT_ENSURE_REGISTERED(NrUeMac);

TypeId
NrUeMac::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrUeMac")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrUeMac>()
            .AddAttribute(
                "SrTransMax",
                "Maximum SR transmissions of one pending SR (TS 38.331 sr-TransMax: 4, 8, "
                "16, 32, 64).",
                UintegerValue(64),
                MakeUintegerAccessor(&NrUeMac::m_srTransMax),
                MakeUintegerChecker<uint32_t>(1, 64))
            .AddTraceSource("Drop",
                            "An UL SDU was dropped: the grant answering its BSR could not carry it "
                            "(no RLC segmentation).",
                            MakeTraceSourceAccessor(&NrUeMac::m_dropTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

NrUeMac::NrUeMac()
{
    NS_LOG_FUNCTION(this);
}

void
NrUeMac::DoDispose()
{
    m_phy = nullptr;
    m_timing = nullptr;
    m_queue.clear();
    m_ulHarq.clear();
    m_deliver = DeliverCallback();
    Object::DoDispose();
}

void
NrUeMac::Configure(Ptr<NrSpectrumPhy> phy,
                   Ptr<NrLatencyModel> timing,
                   uint16_t cellId,
                   uint16_t rnti)
{
    NS_ABORT_MSG_IF(rnti == 0, "NrUeMac: RNTI must be > 0");
    m_phy = phy;
    m_timing = timing;
    m_cellId = cellId;
    m_rnti = rnti;
    m_phy->SetIdentity(cellId, rnti);
    m_phy->SetRxCallback(MakeCallback(&NrUeMac::PhyRx, this));
}

void
NrUeMac::SetCgResource(uint32_t firstRb, uint32_t numRbs, uint8_t mcs, NrMcsTable::Table table)
{
    m_cgFirstRb = firstRb;
    m_cgNumRbs = numRbs;
    m_cgMcs = mcs;
    m_cgTable = table;
}

void
NrUeMac::SetDeliverCallback(DeliverCallback cb)
{
    m_deliver = cb;
}

uint32_t
NrUeMac::GetBufferBytes() const
{
    uint32_t b = 0;
    for (const auto& s : m_queue)
    {
        b += s.packet->GetSize() + NrLatencyModel::MAC_SUBHEADER_BYTES;
    }
    return b;
}

uint32_t
NrUeMac::GetBufferPackets() const
{
    return m_queue.size();
}

Ptr<NrSpectrumSignalParameters>
NrUeMac::NewSignal(NrSpectrumSignalParameters::Kind kind) const
{
    auto p = Create<NrSpectrumSignalParameters>();
    p->kind = kind;
    p->cellId = m_cellId;
    p->rnti = m_rnti;
    p->downlink = false;
    return p;
}

void
NrUeMac::Enqueue(Ptr<Packet> p, uint16_t protocol)
{
    const int64_t now = NrLatencyModel::TimeToTc(Simulator::Now());
    NS_LOG_FUNCTION(this << p << now);
    m_queue.push_back({p, protocol, now});
    if (m_timing->GetUlAccess() == NrLatencyModel::UlAccess::CONFIGURED_GRANT)
    {
        const uint64_t occ =
            m_timing->NextCgOccasion(m_timing->FirstSymbolAtOrAfter(now + m_timing->GetTproc2Tc()));
        if (m_cgScheduled.insert(occ).second)
        {
            Simulator::Schedule(
                m_timing->StartTime(occ) - Simulator::Now(), &NrUeMac::CgOccasion, this, occ);
        }
        return;
    }
    TriggerSr();
}

void
NrUeMac::TriggerSr()
{
    if (m_srPending)
    {
        return;
    }
    m_srPending = true; // TS 38.321 §5.4.4: pending until a grant arrives
    const auto [period, offset] = m_timing->GetSrConfig();
    const uint64_t s = m_timing->GetFrameStructure()->NextPucchOccasion(
        m_timing->FirstSymbolAtOrAfter(NrLatencyModel::TimeToTc(Simulator::Now())), period, offset);
    Simulator::Schedule(m_timing->StartTime(s) - Simulator::Now(), &NrUeMac::SendSr, this, s);
}

void
NrUeMac::SendSr(uint64_t symbol)
{
    if (!m_srPending)
    {
        return; // a grant arrived meanwhile: the SR is cancelled
    }
    // TS 38.321 §5.4.4: signal the SR on every valid occasion while it is pending, up to
    // sr-TransMax; then the MAC would start random access (not modelled: the SR is cancelled and
    // the next new data triggers a new one).
    if (m_srCount >= m_srTransMax)
    {
        NS_LOG_WARN("RNTI " << m_rnti << ": sr-TransMax reached, SR cancelled");
        m_srPending = false;
        m_srCount = 0;
        return;
    }
    ++m_srCount;
    auto p = NewSignal(NrSpectrumSignalParameters::Kind::SR);
    p->startSymbol = symbol;
    p->numSymbols = m_timing->GetFrameStructure()->GetPucchSymbols();
    TransmitNow(p);
    const auto [period, offset] = m_timing->GetSrConfig();
    const uint64_t next =
        m_timing->GetFrameStructure()->NextPucchOccasion(symbol + 1, period, offset);
    Simulator::Schedule(m_timing->StartTime(next) - Simulator::Now(), &NrUeMac::SendSr, this, next);
}

void
NrUeMac::SendHarqAck(uint8_t harqId, bool ack, double sinr, uint64_t symbol)
{
    auto p = NewSignal(NrSpectrumSignalParameters::Kind::HARQ_ACK);
    p->harqId = harqId;
    p->ack = ack;
    p->reportedSinr = sinr;
    p->startSymbol = symbol;
    p->numSymbols = m_timing->GetFrameStructure()->GetPucchSymbols();
    TransmitNow(p);
}

void
NrUeMac::TransmitNow(Ptr<NrSpectrumSignalParameters> p)
{
    if (p->numRbs == 0)
    {
        // one PUCCH RB per UE at the top of the carrier (UEs beyond PUCCH_RBS share RBs)
        p->firstRb = m_phy->GetNumRbs() - 1 - (m_rnti - 1) % PUCCH_RBS;
        p->numRbs = 1;
    }
    const Time d = m_timing->StartTime(p->startSymbol + p->numSymbols) - Simulator::Now();
    m_phy->Transmit(p, d);
}

void
NrUeMac::SendAt(Ptr<NrSpectrumSignalParameters> p)
{
    Simulator::Schedule(
        m_timing->StartTime(p->startSymbol) - Simulator::Now(), &NrUeMac::TransmitNow, this, p);
}

void
NrUeMac::FillTb(Ptr<NrSpectrumSignalParameters> tb, uint32_t capacity, int64_t preparedByTc)
{
    uint32_t used = 0;
    while (!m_queue.empty() && m_queue.front().arrivalTc <= preparedByTc)
    {
        const uint32_t need =
            m_queue.front().packet->GetSize() + NrLatencyModel::MAC_SUBHEADER_BYTES;
        const bool moreAfter = m_queue.size() > 1;
        const uint32_t bsr = moreAfter ? NrLatencyModel::SHORT_BSR_BYTES : 0;
        if (used + need + bsr > capacity && !(used + need <= capacity && !moreAfter))
        {
            break;
        }
        used += need;
        tb->sdus.push_back(m_queue.front().packet);
        tb->protocols.push_back(m_queue.front().protocol);
        tb->arrivalTc.push_back(m_queue.front().arrivalTc);
        m_queue.pop_front();
    }
    // TS 38.321 §5.4.5: a (short) BSR rides along when data remain and it fits.
    tb->bufferBytes = GetBufferBytes();
    tb->tbsBytes = capacity;
}

void
NrUeMac::CgOccasion(uint64_t symbol)
{
    m_cgScheduled.erase(symbol);
    auto tb = NewSignal(NrSpectrumSignalParameters::Kind::DATA);
    FillTb(tb, m_timing->GetCgBytes(), m_timing->Start(symbol) - m_timing->GetTproc2Tc());
    if (tb->sdus.empty())
    {
        return; // no data, no CG transmission
    }
    // TS 38.321 §5.8.2: HARQ Process ID = floor(CURRENT_symbol / periodicity) mod
    // nrofHARQ-Processes
    tb->harqId = (symbol / m_timing->GetCgPeriodSymbols()) % CG_HARQ_PROCESSES;
    tb->newData = true;
    tb->mcs = m_cgMcs;
    tb->table = m_cgTable;
    tb->firstRb = m_cgFirstRb;
    tb->numRbs = m_cgNumRbs;
    tb->startSymbol = symbol;
    tb->numSymbols = m_timing->GetFrameStructure()->GetAllocationSymbols();
    tb->firstTxTc = m_timing->Start(symbol);
    m_ulHarq[tb->harqId] = tb;
    TransmitNow(tb);
    if (!m_queue.empty())
    {
        const uint64_t next = m_timing->NextCgOccasion(symbol + 1);
        if (m_cgScheduled.insert(next).second)
        {
            Simulator::Schedule(
                m_timing->StartTime(next) - Simulator::Now(), &NrUeMac::CgOccasion, this, next);
        }
    }
}

void
NrUeMac::PhyRx(Ptr<const NrSpectrumSignalParameters> p, double sinr, bool ok)
{
    NS_LOG_FUNCTION(this << +static_cast<uint8_t>(p->kind) << sinr << ok);
    if (p->kind == NrSpectrumSignalParameters::Kind::UL_GRANT)
    {
        if (!ok)
        {
            return; // missed DCI: the gNB will see no PUSCH and retry
        }
        m_srPending = false;
        m_srCount = 0;
        Ptr<NrSpectrumSignalParameters> tb;
        if (!p->newData && m_ulHarq.count(p->harqId))
        {
            tb = Create<NrSpectrumSignalParameters>(*m_ulHarq[p->harqId]); // retransmission
            tb->newData = false;
            tb->txIndex += 1;
        }
        else
        {
            tb = NewSignal(NrSpectrumSignalParameters::Kind::DATA);
            FillTb(tb, p->tbsBytes, NrLatencyModel::TimeToTc(Simulator::Now()));
            if (tb->sdus.empty() && !m_queue.empty() && m_lastBsr > 0)
            {
                // The gNB answered our BSR with all it could grant and the head SDU still does not
                // fit: without RLC segmentation it never will. Drop it and fill the TB again.
                NS_LOG_WARN("UL SDU of " << m_queue.front().packet->GetSize()
                                         << " bytes does not fit a " << p->tbsBytes
                                         << "-byte grant; dropped");
                m_dropTrace(m_queue.front().packet);
                m_queue.pop_front();
                FillTb(tb, p->tbsBytes, NrLatencyModel::TimeToTc(Simulator::Now()));
            }
            m_lastBsr = tb->bufferBytes;
            tb->newData = true;
            tb->grantTc = m_timing->Start(p->startSymbol + p->numSymbols);
            tb->firstTxTc = m_timing->Start(p->grant.startSymbol);
        }
        tb->harqId = p->harqId;
        tb->mcs = p->mcs;
        tb->table = p->table;
        tb->firstRb = p->grant.firstRb;
        tb->numRbs = p->grant.numRbs;
        tb->startSymbol = p->grant.startSymbol;
        tb->numSymbols = p->grant.numSymbols;
        m_ulHarq[p->harqId] = tb;
        SendAt(tb);
        if (!m_queue.empty() && tb->bufferBytes == 0)
        {
            TriggerSr(); // data that arrived too late for this TB and no BSR space
        }
        return;
    }
    if (p->kind != NrSpectrumSignalParameters::Kind::DATA)
    {
        return;
    }
    // DL transport block, received at the end of its PDSCH.
    const int64_t end = m_timing->Start(p->startSymbol + p->numSymbols);
    const int64_t decoded = end + m_timing->GetTproc1Tc();
    if (p->newData)
    {
        m_dlDelivered[p->harqId] = false;
    }
    if (ok && !m_dlDelivered[p->harqId])
    {
        m_dlDelivered[p->harqId] = true;
        const Time at = NrNumerology::TcToTime(decoded) - Simulator::Now();
        NrPacketRecord rec;
        rec.grant = Seconds(-1);
        rec.firstTx = NrNumerology::TcToTime(p->firstTxTc);
        rec.lastTx = m_timing->StartTime(p->startSymbol);
        rec.airtime = NrNumerology::TcToTime(end) - rec.lastTx;
        rec.delivered = NrNumerology::TcToTime(decoded);
        rec.transmissions = p->txIndex;
        rec.sinrDb = sinr > 0 ? 10 * std::log10(sinr) : -999.0;
        rec.mcs = p->mcs;
        rec.mcsTable = static_cast<uint8_t>(p->table);
        for (size_t i = 0; i < p->sdus.size(); ++i)
        {
            rec.arrival = NrNumerology::TcToTime(p->arrivalTc.at(i));
            Simulator::Schedule(at,
                                [this, pkt = p->sdus[i]->Copy(), proto = p->protocols[i], rec]()
                                {
                                    if (!m_deliver.IsNull())
                                    {
                                        m_deliver(pkt, proto, rec);
                                    }
                                });
        }
    }
    const uint64_t ack = m_timing->NextHarqAckOccasion(m_timing->FirstSymbolAtOrAfter(decoded));
    Simulator::Schedule(m_timing->StartTime(ack) - Simulator::Now(),
                        &NrUeMac::SendHarqAck,
                        this,
                        p->harqId,
                        ok,
                        sinr,
                        ack);
}

} // namespace ns3
