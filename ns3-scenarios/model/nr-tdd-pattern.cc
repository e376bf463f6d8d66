#include "nr-tdd-pattern.h"

#include "nr-numerology.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <array>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrTddPattern");
NS_OBJECT_ENSURE_REGISTERED(NrTddPattern);

TypeId
NrTddPattern::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrTddPattern")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrTddPattern>()
            .AddAttribute(
                "Pattern",
                "Slot pattern repeated from slot 0: D (downlink), S (special), U (uplink), "
                "e.g. DDDSU (TS 38.213 §11.1); or FDD for paired spectrum.",
                StringValue("DDDSU"),
                MakeStringAccessor(&NrTddPattern::SetPattern, &NrTddPattern::GetPattern),
                MakeStringChecker())
            .AddAttribute("SpecialSlotDlSymbols",
                          "Downlink symbols at the start of an S slot (nrofDownlinkSymbols, "
                          "TS 38.331 TDD-UL-DL-Pattern).",
                          UintegerValue(10),
                          MakeUintegerAccessor(&NrTddPattern::SetSpecialSlotDlSymbols),
                          MakeUintegerChecker<uint32_t>(0, NrNumerology::SYMBOLS_PER_SLOT))
            .AddAttribute("SpecialSlotUlSymbols",
                          "Uplink symbols at the end of an S slot (nrofUplinkSymbols, TS 38.331 "
                          "TDD-UL-DL-Pattern). The symbols between are the guard period.",
                          UintegerValue(2),
                          MakeUintegerAccessor(&NrTddPattern::SetSpecialSlotUlSymbols),
                          MakeUintegerChecker<uint32_t>(0, NrNumerology::SYMBOLS_PER_SLOT));
    return tid;
}

NrTddPattern::NrTddPattern()
    : m_pattern("DDDSU")
    , m_fdd(false)
    , m_sDlSymbols(10)
    , m_sUlSymbols(2)
{
    NS_LOG_FUNCTION(this);
}

void
NrTddPattern::SetPattern(const std::string& pattern)
{
    NS_LOG_FUNCTION(this << pattern);
    if (pattern == "FDD")
    {
        m_fdd = true;
        m_pattern = pattern;
        return;
    }
    NS_ABORT_MSG_IF(pattern.empty(), "NrTddPattern: Pattern must not be empty");
    for (char c : pattern)
    {
        NS_ABORT_MSG_IF(c != 'D' && c != 'S' && c != 'U',
                        "NrTddPattern: Pattern '" << pattern
                                                  << "' may hold only D, S, U (or be FDD)");
    }
    m_fdd = false;
    m_pattern = pattern;
}

std::string
NrTddPattern::GetPattern() const
{
    return m_pattern;
}

void
NrTddPattern::SetSpecialSlotDlSymbols(uint32_t n)
{
    m_sDlSymbols = n; // checked with the UL count when used, so the set order does not matter
}

void
NrTddPattern::SetSpecialSlotUlSymbols(uint32_t n)
{
    m_sUlSymbols = n;
}

void
NrTddPattern::Check() const
{
    NS_ABORT_MSG_IF(m_sDlSymbols + m_sUlSymbols > NrNumerology::SYMBOLS_PER_SLOT,
                    "NrTddPattern: SpecialSlotDlSymbols + SpecialSlotUlSymbols must be <= 14, got "
                        << m_sDlSymbols << " + " << m_sUlSymbols);
}

bool
NrTddPattern::IsFdd() const
{
    return m_fdd;
}

uint32_t
NrTddPattern::GetPeriodSlots() const
{
    return m_fdd ? 1 : m_pattern.size();
}

char
NrTddPattern::GetSlotType(uint64_t absSlot) const
{
    return m_fdd ? 'F' : m_pattern[absSlot % m_pattern.size()];
}

bool
NrTddPattern::IsSymbol(uint64_t absSymbol, Direction dir) const
{
    if (m_fdd)
    {
        return true;
    }
    const uint32_t l = absSymbol % NrNumerology::SYMBOLS_PER_SLOT;
    switch (GetSlotType(absSymbol / NrNumerology::SYMBOLS_PER_SLOT))
    {
        case 'D':
            return dir == Direction::DL;
        case 'U':
            return dir == Direction::UL;
        default: // 'S': DL symbols, guard, UL symbols (TS 38.213 §11.1)
            Check();
            return dir == Direction::DL ? l < m_sDlSymbols
                                        : l >= NrNumerology::SYMBOLS_PER_SLOT - m_sUlSymbols;
    }
}

bool
NrTddPattern::IsStandardPeriodicity(uint32_t slotsPerSubframe) const
{
    if (m_fdd)
    {
        return true;
    }
    // TS 38.331 dl-UL-TransmissionPeriodicity (incl. -v1530), in units of 1/8 ms to stay integer.
    static constexpr std::array<uint32_t, 10> allowedEighthsMs{4, 5, 8, 10, 16, 20, 24, 32, 40, 80};
    const uint32_t eighths = m_pattern.size() * 8;
    for (uint32_t a : allowedEighthsMs)
    {
        if (eighths == a * slotsPerSubframe)
        {
            return true;
        }
    }
    return false;
}

} // namespace ns3
