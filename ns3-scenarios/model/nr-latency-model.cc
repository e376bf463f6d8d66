#include "nr-latency-model.h"

#include "nr-processing-times.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrLatencyModel");
NS_OBJECT_ENSURE_REGISTERED(NrLatencyModel);

TypeId
NrLatencyModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrLatencyModel")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrLatencyModel>()
            .AddAttribute("FrameStructure",
                          "Numerology, duplexing and scheduling unit.",
                          PointerValue(),
                          MakePointerAccessor(&NrLatencyModel::SetFrameStructure,
                                              &NrLatencyModel::GetFrameStructure),
                          MakePointerChecker<NrFrameStructure>())
            .AddAttribute("UeCapability",
                          "UE processing capability 1 or 2 (TS 38.214 §5.3, §6.4; 2 only for mu "
                          "0..2).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&NrLatencyModel::m_capability),
                          MakeUintegerChecker<uint8_t>(1, 2))
            .AddAttribute("PdschDmrsAdditional",
                          "PDSCH has additional DM-RS (dmrs-AdditionalPosition != pos0): the "
                          "longer N1 column of TS 38.214 Table 5.3-1.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NrLatencyModel::m_dmrsAdditional),
                          MakeBooleanChecker())
            .AddAttribute("PuschFirstSymbolDmrsOnly",
                          "The first PUSCH symbol holds DM-RS only, so d2,1 = 0 (TS 38.214 §6.4); "
                          "else d2,1 = 1.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NrLatencyModel::m_puschDmrsOnlyFirst),
                          MakeBooleanChecker())
            .AddAttribute("UlAccess",
                          "Uplink access: DynamicGrant (SR/grant/BSR, TS 38.321 §5.4) or "
                          "ConfiguredGrant (Type 1, TS 38.321 §5.8.2).",
                          EnumValue(UlAccess::DYNAMIC_GRANT),
                          MakeEnumAccessor<UlAccess>(&NrLatencyModel::m_ulAccess),
                          MakeEnumChecker(UlAccess::DYNAMIC_GRANT,
                                          "DynamicGrant",
                                          UlAccess::CONFIGURED_GRANT,
                                          "ConfiguredGrant"))
            .AddAttribute("SrPeriodSymbols",
                          "SR PUCCH resource period in symbols (TS 38.331 "
                          "SchedulingRequestResourceConfig periodicityAndOffset: 2, 7 symbols or "
                          "1..640 slots).",
                          UintegerValue(14),
                          MakeUintegerAccessor(&NrLatencyModel::m_srPeriod),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("SrOffsetSymbols",
                          "SR PUCCH resource offset in symbols.",
                          UintegerValue(13),
                          MakeUintegerAccessor(&NrLatencyModel::m_srOffset),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("SrGrantBytes",
                          "Size of the UL grant the gNB sends on an SR (scheduler policy).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&NrLatencyModel::m_srGrantBytes),
                          MakeUintegerChecker<uint32_t>(SHORT_BSR_BYTES + 1))
            .AddAttribute(
                "CgPeriodSymbols",
                "Configured-grant periodicity in symbols (TS 38.331 ConfiguredGrantConfig "
                "periodicity: 2, 7 or n*14 symbols for normal CP).",
                UintegerValue(14),
                MakeUintegerAccessor(&NrLatencyModel::m_cgPeriod),
                MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("CgOffsetSlots",
                          "Configured-grant Type 1 timeDomainOffset in slots (TS 38.321 §5.8.2).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&NrLatencyModel::m_cgOffsetSlots),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("CgStartSymbol",
                          "Configured-grant start symbol S of the time-domain allocation.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&NrLatencyModel::m_cgStartSymbol),
                          MakeUintegerChecker<uint32_t>(0, 13))
            .AddAttribute("CgBytes",
                          "Transport block size of one configured-grant occasion, bytes.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&NrLatencyModel::m_cgBytes),
                          MakeUintegerChecker<uint32_t>(MAC_SUBHEADER_BYTES + 1))
            .AddAttribute("GnbSchedulingSymbols",
                          "gNB delay from an input (packet, SR, BSR, HARQ-ACK) to the earliest "
                          "PDCCH it can send, in symbols (not standardized; assumption).",
                          DoubleValue(4),
                          MakeDoubleAccessor(&NrLatencyModel::m_gnbSchedSymbols),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("GnbDecodingSymbols",
                          "gNB delay from the end of a PUSCH to the decoded data, in symbols (not "
                          "standardized; assumption).",
                          DoubleValue(4),
                          MakeDoubleAccessor(&NrLatencyModel::m_gnbDecodeSymbols),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("CoreNetworkDelay",
                          "One-way delay between the gNB and the UPF/application.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&NrLatencyModel::m_coreDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("HarqMaxTransmissions",
                          "Maximum transmissions of a TB (gNB setting; NR leaves it to the gNB).",
                          UintegerValue(4),
                          MakeUintegerAccessor(&NrLatencyModel::m_maxTx),
                          MakeUintegerChecker<uint32_t>(1, 16))
            .AddTraceSource("Latency",
                            "A latency was computed: direction and one-way latency.",
                            MakeTraceSourceAccessor(&NrLatencyModel::m_latencyTrace),
                            "ns3::NrLatencyModel::LatencyCallback");
    return tid;
}

NrLatencyModel::NrLatencyModel()
    : m_fs(CreateObject<NrFrameStructure>())
    , m_capability(1)
    , m_dmrsAdditional(false)
    , m_puschDmrsOnlyFirst(false)
    , m_ulAccess(UlAccess::DYNAMIC_GRANT)
    , m_srPeriod(14)
    , m_srOffset(13)
    , m_srGrantBytes(64)
    , m_cgPeriod(14)
    , m_cgOffsetSlots(0)
    , m_cgStartSymbol(0)
    , m_cgBytes(64)
    , m_gnbSchedSymbols(4)
    , m_gnbDecodeSymbols(4)
    , m_coreDelay(Seconds(0))
    , m_maxTx(4)
{
    NS_LOG_FUNCTION(this);
}

int64_t
NrLatencyModel::Result::At(const std::string& what) const
{
    for (const auto& s : steps)
    {
        if (s.what == what)
        {
            return s.tc;
        }
    }
    return -1;
}

void
NrLatencyModel::SetFrameStructure(Ptr<NrFrameStructure> fs)
{
    NS_ABORT_MSG_IF(!fs, "NrLatencyModel: FrameStructure must not be null");
    m_fs = fs;
}

Ptr<NrFrameStructure>
NrLatencyModel::GetFrameStructure() const
{
    return m_fs;
}

int64_t
NrLatencyModel::Start(uint64_t s) const
{
    return m_fs->GetNumerology()->GetSymbolStartTc(s);
}

Time
NrLatencyModel::StartTime(uint64_t s) const
{
    return NrNumerology::TcToTime(Start(s));
}

int64_t
NrLatencyModel::TimeToTc(Time t)
{
    return (t.GetNanoSeconds() * 6144 + 3124) / 3125; // 1 ns = 6144/3125 Tc, rounded up
}

NrLatencyModel::UlAccess
NrLatencyModel::GetUlAccess() const
{
    return m_ulAccess;
}

std::pair<uint32_t, uint32_t>
NrLatencyModel::GetSrConfig() const
{
    return {m_srPeriod, m_srOffset};
}

uint32_t
NrLatencyModel::GetSrGrantBytes() const
{
    return m_srGrantBytes;
}

uint32_t
NrLatencyModel::GetCgPeriodSymbols() const
{
    return m_cgPeriod;
}

uint32_t
NrLatencyModel::GetCgBytes() const
{
    return m_cgBytes;
}

uint32_t
NrLatencyModel::GetHarqMaxTransmissions() const
{
    return m_maxTx;
}

Time
NrLatencyModel::GetCoreNetworkDelay() const
{
    return m_coreDelay;
}

uint64_t
NrLatencyModel::NextCgOccasion(uint64_t from) const
{
    // TS 38.321 §5.8.2, Type 1: the N-th occasion starts at symbol
    // timeDomainOffset * numberOfSymbolsPerSlot + S + N * periodicity (frame counting from 0);
    // usable if all its symbols are UL and in one slot.
    const uint32_t len = m_fs->GetAllocationSymbols();
    const uint64_t base =
        uint64_t(m_cgOffsetSlots) * NrNumerology::SYMBOLS_PER_SLOT + m_cgStartSymbol;
    const uint64_t n = from <= base ? 0 : (from - base + m_cgPeriod - 1) / m_cgPeriod;
    uint64_t occ = base + n * m_cgPeriod;
    for (uint32_t guard = 0; !m_fs->AllOf(occ, len, NrTddPattern::Direction::UL); ++guard)
    {
        NS_ABORT_MSG_IF(guard > 100000, "NrLatencyModel: no usable CG occasion");
        occ += m_cgPeriod;
    }
    return occ;
}

uint64_t
NrLatencyModel::FirstSymbolAtOrAfter(int64_t tc) const
{
    const int64_t sym = m_fs->GetNumerology()->GetNormalSymbolDurationTc();
    uint64_t s = tc <= 0 ? 0 : static_cast<uint64_t>(tc / sym);
    while (s > 0 && Start(s - 1) >= tc)
    {
        --s;
    }
    while (Start(s) < tc)
    {
        ++s;
    }
    return s;
}

int64_t
NrLatencyModel::GnbSchedulingTc() const
{
    return std::llround(m_gnbSchedSymbols * m_fs->GetNumerology()->GetNormalSymbolDurationTc());
}

int64_t
NrLatencyModel::GnbDecodingTc() const
{
    return std::llround(m_gnbDecodeSymbols * m_fs->GetNumerology()->GetNormalSymbolDurationTc());
}

int64_t
NrLatencyModel::GetTproc1Tc() const
{
    const uint8_t mu = m_fs->GetNumerology()->GetNumerology();
    const double n1 = NrProcessingTimes::GetN1(mu, m_capability, m_dmrsAdditional);
    const uint32_t len = m_fs->GetAllocationSymbols();
    // Slot-based PDSCH ends at symbol 13 (type A); a DL mini-slot carries its PDCCH in its first
    // symbol(s), overlapping the PDSCH by the CORESET duration (d of §5.3).
    const uint32_t d11 = NrProcessingTimes::GetD11(m_fs->IsMiniSlot(),
                                                   NrNumerology::SYMBOLS_PER_SLOT - 1,
                                                   len,
                                                   m_fs->GetCoresetSymbols(),
                                                   m_capability,
                                                   m_fs->GetCoresetSymbols() == 3);
    return NrProcessingTimes::GetTproc1Tc(mu, n1, d11);
}

int64_t
NrLatencyModel::GetTproc2Tc() const
{
    const uint8_t mu = m_fs->GetNumerology()->GetNumerology();
    return NrProcessingTimes::GetTproc2Tc(
        mu, NrProcessingTimes::GetN2(mu, m_capability), m_puschDmrsOnlyFirst ? 0 : 1);
}

uint64_t
NrLatencyModel::NextHarqAckOccasion(uint64_t from) const
{
    // PUCCH with HARQ-ACK in the last PucchSymbols symbols of a scheduling unit: the slot's end for
    // slot-based operation, each sub-slot's end for mini-slots (sub-slot HARQ-ACK, TS 38.213
    // §9.2.3).
    const uint32_t len = m_fs->GetAllocationSymbols();
    const uint32_t pucch = m_fs->GetPucchSymbols();
    const uint64_t perSlot = NrNumerology::SYMBOLS_PER_SLOT;
    for (uint64_t slot = from / perSlot;; ++slot)
    {
        for (uint32_t k = 0; k < m_fs->GetUnitsPerSlot(); ++k)
        {
            const uint64_t s = slot * perSlot + k * len + len - pucch;
            if (s >= from && m_fs->AllOf(s, pucch, NrTddPattern::Direction::UL))
            {
                return s;
            }
        }
        NS_ABORT_MSG_IF(slot > from / perSlot + 800, "NrLatencyModel: no HARQ-ACK occasion");
    }
}

int64_t
NrLatencyModel::GrantAndPusch(Result& r, int64_t readyTc, const std::string& label)
{
    const uint64_t pdcch =
        m_fs->NextPdcchOccasion(FirstSymbolAtOrAfter(readyTc + GnbSchedulingTc()));
    const int64_t pdcchEnd = Start(pdcch + m_fs->GetCoresetSymbols());
    r.steps.push_back({"grant PDCCH" + label, Start(pdcch)});
    // TS 38.214 §6.4: the PUSCH's first symbol is no earlier than the first UL symbol whose CP
    // starts T_proc,2 after the end of the PDCCH carrying the grant.
    const uint64_t unit = m_fs->NextDataOccasion(FirstSymbolAtOrAfter(pdcchEnd + GetTproc2Tc()),
                                                 NrTddPattern::Direction::UL);
    const auto [first, end] = m_fs->GetSharedChannelSymbols(unit, NrTddPattern::Direction::UL);
    r.steps.push_back({"PUSCH start" + label, Start(first)});
    r.steps.push_back({"PUSCH end" + label, Start(end)});
    if (r.k2 < 0)
    {
        r.k2 = static_cast<int32_t>(first / NrNumerology::SYMBOLS_PER_SLOT -
                                    pdcch / NrNumerology::SYMBOLS_PER_SLOT);
    }
    ++r.transmissions;
    return Start(end);
}

void
NrLatencyModel::Finish(Result& r, int64_t doneTc, const std::string& dir)
{
    NS_ABORT_MSG_IF(r.transmissions > m_maxTx,
                    "NrLatencyModel: " << r.transmissions
                                       << " transmissions exceed HarqMaxTransmissions " << m_maxTx);
    r.steps.push_back({"delivered", doneTc});
    const int64_t coreTc = (m_coreDelay.GetNanoSeconds() * 6144 + 3124) / 3125;
    r.deliveredTc = doneTc + coreTc;
    r.latency = NrNumerology::TcToTime(r.deliveredTc) - NrNumerology::TcToTime(r.arrivalTc);
    m_latencyTrace(dir, r.latency);
}

NrLatencyModel::Result
NrLatencyModel::ComputeDownlink(Time arrival, uint32_t bytes, uint32_t failedTransmissions)
{
    NS_LOG_FUNCTION(this << arrival << bytes << failedTransmissions);
    Result r;
    r.arrivalTc = TimeToTc(arrival);
    r.steps.push_back({"arrival", r.arrivalTc});
    int64_t ready = r.arrivalTc + GnbSchedulingTc();
    int64_t decoded = 0;
    for (uint32_t tx = 0; tx <= failedTransmissions; ++tx)
    {
        const std::string label = tx == 0 ? "" : " #" + std::to_string(tx + 1);
        const uint64_t unit =
            m_fs->NextDataOccasion(FirstSymbolAtOrAfter(ready), NrTddPattern::Direction::DL);
        const auto [first, end] = m_fs->GetSharedChannelSymbols(unit, NrTddPattern::Direction::DL);
        r.steps.push_back({"PDCCH" + label, Start(unit)});
        r.steps.push_back({"PDSCH end" + label, Start(end)});
        ++r.transmissions;
        decoded = Start(end) + GetTproc1Tc();
        // HARQ-ACK: first PUCCH occasion whose CP starts T_proc,1 after the PDSCH (TS 38.214 §5.3)
        const uint64_t ack = NextHarqAckOccasion(FirstSymbolAtOrAfter(decoded));
        r.k1 = static_cast<int32_t>(ack / NrNumerology::SYMBOLS_PER_SLOT -
                                    (end - 1) / NrNumerology::SYMBOLS_PER_SLOT);
        NS_ABORT_MSG_IF(r.k1 > 15,
                        "NrLatencyModel: K1 " << r.k1 << " beyond dl-DataToUL-ACK 0..15");
        const int64_t ackEnd = Start(ack + m_fs->GetPucchSymbols());
        r.steps.push_back({(tx < failedTransmissions ? "NACK" : "ACK") + label, Start(ack)});
        ready = ackEnd + GnbSchedulingTc();
    }
    (void)bytes; // one unloaded TB carries a small packet; sizing is the scheduler's business
    Finish(r, decoded, "DL");
    return r;
}

NrLatencyModel::Result
NrLatencyModel::ComputeUplink(Time arrival, uint32_t bytes, uint32_t failedTransmissions)
{
    NS_LOG_FUNCTION(this << arrival << bytes << failedTransmissions);
    Result r;
    r.arrivalTc = TimeToTc(arrival);
    r.steps.push_back({"arrival", r.arrivalTc});
    uint32_t remaining = bytes + MAC_SUBHEADER_BYTES;
    int64_t puschEnd = 0;
    if (m_ulAccess == UlAccess::DYNAMIC_GRANT)
    {
        // TS 38.321 §5.4.4: no UL-SCH resource -> SR on the next valid SR PUCCH occasion.
        const uint64_t sr =
            m_fs->NextPucchOccasion(FirstSymbolAtOrAfter(r.arrivalTc), m_srPeriod, m_srOffset);
        r.steps.push_back({"SR", Start(sr)});
        int64_t ready = Start(sr + m_fs->GetPucchSymbols()); // SR received
        uint32_t grant = m_srGrantBytes;
        uint32_t round = 1;
        while (true)
        {
            const std::string label = round == 1 ? "" : " #" + std::to_string(round);
            puschEnd = GrantAndPusch(r, ready, label);
            ready = puschEnd + GnbDecodingTc();
            if (remaining <= grant)
            {
                break;
            }
            // TS 38.321 §5.4.5: data left after this grant -> a short BSR rides in the PUSCH; the
            // gNB then grants the reported buffer.
            remaining -= grant - SHORT_BSR_BYTES;
            grant = remaining;
            ++round;
            r.steps.push_back({"BSR received" + label, ready});
        }
    }
    else
    {
        const uint32_t len = m_fs->GetAllocationSymbols();
        int64_t ready = r.arrivalTc + GetTproc2Tc(); // UE TB preparation
        while (true)
        {
            const uint64_t occ = NextCgOccasion(FirstSymbolAtOrAfter(ready));
            r.steps.push_back({"CG PUSCH start", Start(occ)});
            puschEnd = Start(occ + len);
            r.steps.push_back({"CG PUSCH end", puschEnd});
            ++r.transmissions;
            if (remaining <= m_cgBytes)
            {
                break;
            }
            remaining -= m_cgBytes;
            ready = puschEnd; // the next occasion carries the rest (already prepared)
        }
    }
    for (uint32_t i = 0; i < failedTransmissions; ++i)
    {
        // Lost PUSCH: the gNB learns it on decoding and sends a retransmission grant
        // (TS 38.321 §5.4.1; for a CG, addressed to CS-RNTI).
        puschEnd = GrantAndPusch(r, puschEnd + GnbDecodingTc(), " retx " + std::to_string(i + 1));
    }
    Finish(r, puschEnd + GnbDecodingTc(), "UL");
    return r;
}

} // namespace ns3
