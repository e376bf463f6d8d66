#include "nr-frame-structure.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrFrameStructure");
NS_OBJECT_ENSURE_REGISTERED(NrFrameStructure);

/// Bound on occasion searches: 10 frames of mu 3 symbols. A search that finds nothing in that
/// window means a configuration with no such occasion at all (e.g. no U symbols).
static constexpr uint64_t MAX_SEARCH_SYMBOLS = 10ULL * 80 * NrNumerology::SYMBOLS_PER_SLOT;

TypeId
NrFrameStructure::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrFrameStructure")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrFrameStructure>()
            .AddAttribute("Numerology",
                          "The numerology (TS 38.211 §4.2).",
                          PointerValue(),
                          MakePointerAccessor(&NrFrameStructure::SetNumerology,
                                              &NrFrameStructure::GetNumerology),
                          MakePointerChecker<NrNumerology>())
            .AddAttribute("TddPattern",
                          "The duplexing: TDD slot pattern or FDD (TS 38.213 §11.1).",
                          PointerValue(),
                          MakePointerAccessor(&NrFrameStructure::SetTddPattern,
                                              &NrFrameStructure::GetTddPattern),
                          MakePointerChecker<NrTddPattern>())
            .AddAttribute("AllocationSymbols",
                          "Scheduling unit: 14 = slot-based (mapping type A), 2, 4 or 7 = "
                          "mini-slot (mapping type B, TS 38.214 §5.1.2.1, §6.1.2.1).",
                          UintegerValue(14),
                          MakeUintegerAccessor(&NrFrameStructure::SetAllocationSymbols,
                                               &NrFrameStructure::GetAllocationSymbols),
                          MakeUintegerChecker<uint32_t>(2, 14))
            .AddAttribute("CoresetSymbols",
                          "CORESET duration in symbols, 1..3 (TS 38.211 §7.3.2.2).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&NrFrameStructure::m_coresetSymbols),
                          MakeUintegerChecker<uint32_t>(1, 3))
            .AddAttribute("PucchSymbols",
                          "Duration of the short PUCCH (format 0/2) carrying SR and HARQ-ACK, 1 "
                          "or 2 symbols (TS 38.211 §6.3.2.1).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&NrFrameStructure::m_pucchSymbols),
                          MakeUintegerChecker<uint32_t>(1, 2));
    return tid;
}

NrFrameStructure::NrFrameStructure()
    : m_numerology(CreateObject<NrNumerology>())
    , m_tdd(CreateObject<NrTddPattern>())
    , m_allocSymbols(14)
    , m_coresetSymbols(1)
    , m_pucchSymbols(1)
{
    NS_LOG_FUNCTION(this);
}

void
NrFrameStructure::SetNumerology(Ptr<NrNumerology> numerology)
{
    NS_ABORT_MSG_IF(!numerology, "NrFrameStructure: Numerology must not be null");
    m_numerology = numerology;
}

Ptr<NrNumerology>
NrFrameStructure::GetNumerology() const
{
    return m_numerology;
}

void
NrFrameStructure::SetTddPattern(Ptr<NrTddPattern> pattern)
{
    NS_ABORT_MSG_IF(!pattern, "NrFrameStructure: TddPattern must not be null");
    m_tdd = pattern;
}

Ptr<NrTddPattern>
NrFrameStructure::GetTddPattern() const
{
    return m_tdd;
}

void
NrFrameStructure::SetAllocationSymbols(uint32_t symbols)
{
    // TS 38.214 Table 5.1.2.1-1 (type B PDSCH, normal CP: L in {2, 4, 7} in Rel-15); 14 = type A.
    NS_ABORT_MSG_IF(symbols != 2 && symbols != 4 && symbols != 7 && symbols != 14,
                    "NrFrameStructure: AllocationSymbols must be 2, 4, 7 or 14, got " << symbols);
    m_allocSymbols = symbols;
}

uint32_t
NrFrameStructure::GetAllocationSymbols() const
{
    return m_allocSymbols;
}

bool
NrFrameStructure::IsMiniSlot() const
{
    return m_allocSymbols < NrNumerology::SYMBOLS_PER_SLOT;
}

uint32_t
NrFrameStructure::GetCoresetSymbols() const
{
    return m_coresetSymbols;
}

uint32_t
NrFrameStructure::GetPucchSymbols() const
{
    return m_pucchSymbols;
}

uint32_t
NrFrameStructure::GetUnitsPerSlot() const
{
    return NrNumerology::SYMBOLS_PER_SLOT / m_allocSymbols; // 7, 3, 2 or 1
}

bool
NrFrameStructure::AllOf(uint64_t first, uint32_t n, Direction dir) const
{
    const uint64_t slot = first / NrNumerology::SYMBOLS_PER_SLOT;
    if ((first + n - 1) / NrNumerology::SYMBOLS_PER_SLOT != slot)
    {
        return false;
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!m_tdd->IsSymbol(first + i, dir))
        {
            return false;
        }
    }
    return true;
}

uint64_t
NrFrameStructure::NextDataOccasion(uint64_t fromSymbol, Direction dir) const
{
    const uint32_t perSlot = NrNumerology::SYMBOLS_PER_SLOT;
    uint64_t slot = fromSymbol / perSlot;
    for (uint64_t n = 0; n < MAX_SEARCH_SYMBOLS / perSlot; ++n, ++slot)
    {
        for (uint32_t k = 0; k < GetUnitsPerSlot(); ++k)
        {
            const uint64_t start = slot * perSlot + k * m_allocSymbols;
            if (start >= fromSymbol && AllOf(start, m_allocSymbols, dir))
            {
                return start;
            }
        }
    }
    NS_ABORT_MSG("NrFrameStructure: no " << (dir == Direction::DL ? "DL" : "UL")
                                         << " data occasion in pattern " << m_tdd->GetPattern()
                                         << " with " << m_allocSymbols << "-symbol units");
    return 0;
}

std::pair<uint64_t, uint64_t>
NrFrameStructure::GetSharedChannelSymbols(uint64_t unitStart, Direction dir) const
{
    uint64_t first = unitStart;
    if (dir == Direction::DL && !IsMiniSlot())
    {
        first += m_coresetSymbols; // type A PDSCH after the CORESET of the same slot (K0 = 0)
    }
    return {first, unitStart + m_allocSymbols};
}

uint64_t
NrFrameStructure::NextPdcchOccasion(uint64_t fromSymbol) const
{
    const uint32_t perSlot = NrNumerology::SYMBOLS_PER_SLOT;
    uint64_t slot = fromSymbol / perSlot;
    for (uint64_t n = 0; n < MAX_SEARCH_SYMBOLS / perSlot; ++n, ++slot)
    {
        for (uint32_t k = 0; k < GetUnitsPerSlot(); ++k)
        {
            const uint64_t start = slot * perSlot + k * m_allocSymbols;
            if (start >= fromSymbol && AllOf(start, m_coresetSymbols, Direction::DL))
            {
                return start;
            }
        }
    }
    NS_ABORT_MSG("NrFrameStructure: no PDCCH occasion in pattern " << m_tdd->GetPattern());
    return 0;
}

uint64_t
NrFrameStructure::NextPucchOccasion(uint64_t fromSymbol,
                                    uint32_t periodSymbols,
                                    uint32_t offsetSymbols) const
{
    NS_ABORT_MSG_IF(periodSymbols == 0, "NrFrameStructure: PUCCH period must be > 0");
    const uint64_t p = periodSymbols;
    const uint64_t o = offsetSymbols % p;
    // first s >= fromSymbol with s ≡ o (mod p)
    uint64_t s = fromSymbol <= o ? o : o + ((fromSymbol - o + p - 1) / p) * p;
    for (; s < fromSymbol + MAX_SEARCH_SYMBOLS; s += p)
    {
        if (AllOf(s, m_pucchSymbols, Direction::UL))
        {
            return s;
        }
    }
    NS_ABORT_MSG("NrFrameStructure: no PUCCH occasion (period " << periodSymbols << ", offset "
                                                                << offsetSymbols << ") in pattern "
                                                                << m_tdd->GetPattern());
    return 0;
}

} // namespace ns3
