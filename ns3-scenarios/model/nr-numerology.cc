#include "nr-numerology.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrNumerology");
NS_OBJECT_ENSURE_REGISTERED(NrNumerology);

TypeId
NrNumerology::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrNumerology")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrNumerology>()
            .AddAttribute(
                "Numerology",
                "NR numerology mu (TS 38.211 Table 4.2-1): subcarrier spacing 2^mu * 15 "
                "kHz, 2^mu slots per 1 ms subframe. 0..3 (normal cyclic prefix).",
                UintegerValue(1),
                MakeUintegerAccessor(&NrNumerology::SetNumerology, &NrNumerology::GetNumerology),
                MakeUintegerChecker<uint8_t>(0, 3));
    return tid;
}

NrNumerology::NrNumerology()
    : m_mu(1)
{
    NS_LOG_FUNCTION(this);
}

void
NrNumerology::SetNumerology(uint8_t mu)
{
    NS_LOG_FUNCTION(this << +mu);
    NS_ABORT_MSG_IF(mu > 3, "NrNumerology: Numerology must be 0..3, got " << +mu);
    m_mu = mu;
}

uint8_t
NrNumerology::GetNumerology() const
{
    return m_mu;
}

double
NrNumerology::GetSubcarrierSpacingHz() const
{
    return 15e3 * (1u << m_mu); // TS 38.211 Table 4.2-1
}

double
NrNumerology::GetRbBandwidthHz() const
{
    return SUBCARRIERS_PER_RB * GetSubcarrierSpacingHz(); // TS 38.211 §4.4.4.1
}

uint32_t
NrNumerology::GetSlotsPerSubframe() const
{
    return 1u << m_mu; // TS 38.211 Table 4.3.2-1
}

uint32_t
NrNumerology::GetSlotsPerFrame() const
{
    return SUBFRAMES_PER_FRAME * GetSlotsPerSubframe(); // TS 38.211 Table 4.3.2-1
}

int64_t
NrNumerology::GetSlotDurationTc() const
{
    return TC_PER_SECOND / 1000 / GetSlotsPerSubframe();
}

Time
NrNumerology::GetSlotDuration() const
{
    return TcToTime(GetSlotDurationTc());
}

int64_t
NrNumerology::GetCyclicPrefixTc(uint32_t symbolInSubframe) const
{
    // TS 38.211 §5.3.1, normal cyclic prefix
    int64_t cp = 144 * KAPPA >> m_mu;
    if (symbolInSubframe % (7u << m_mu) == 0)
    {
        cp += 16 * KAPPA; // first symbol of every 0.5 ms
    }
    return cp;
}

int64_t
NrNumerology::GetSymbolDurationTc(uint32_t symbolInSubframe) const
{
    NS_ASSERT(symbolInSubframe < SYMBOLS_PER_SLOT * GetSlotsPerSubframe());
    return (2048 * KAPPA >> m_mu) + GetCyclicPrefixTc(symbolInSubframe); // TS 38.211 §5.3.1
}

int64_t
NrNumerology::GetNormalSymbolDurationTc() const
{
    return (2048 + 144) * KAPPA >> m_mu; // TS 38.214 §5.3, §6.4
}

Time
NrNumerology::GetNormalSymbolDuration() const
{
    return TcToTime(GetNormalSymbolDurationTc());
}

int64_t
NrNumerology::GetSymbolStartTc(uint64_t absSymbol) const
{
    const uint64_t symbolsPerSubframe = SYMBOLS_PER_SLOT * GetSlotsPerSubframe();
    const uint64_t subframe = absSymbol / symbolsPerSubframe;
    const uint32_t l = absSymbol % symbolsPerSubframe;
    const uint32_t half = 7u << m_mu; // symbols per 0.5 ms
    // Each 0.5 ms holds one long symbol (l = 0 or 7 * 2^mu) followed by normal ones.
    int64_t tc = static_cast<int64_t>(subframe) * (TC_PER_SECOND / 1000);
    if (l >= half)
    {
        tc += TC_PER_SECOND / 2000;
    }
    const uint32_t inHalf = l % half;
    if (inHalf > 0)
    {
        tc += 16 * KAPPA + static_cast<int64_t>(inHalf) * GetNormalSymbolDurationTc();
    }
    return tc;
}

Time
NrNumerology::GetSymbolStart(uint64_t absSymbol) const
{
    return TcToTime(GetSymbolStartTc(absSymbol));
}

Time
NrNumerology::GetSymbolEnd(uint64_t absSymbol) const
{
    return TcToTime(GetSymbolStartTc(absSymbol + 1));
}

uint64_t
NrNumerology::GetSymbolContaining(Time t) const
{
    NS_ASSERT(!t.IsStrictlyNegative());
    // Estimate from the normal symbol length, then correct (the long symbols shift by < 1 symbol).
    const int64_t tcAt = (t.GetNanoSeconds() * 6144) / 3125; // Tc = 3125/6144 ns
    uint64_t s = static_cast<uint64_t>(tcAt / GetNormalSymbolDurationTc());
    while (s > 0 && GetSymbolStart(s) > t)
    {
        --s;
    }
    while (GetSymbolEnd(s) <= t)
    {
        ++s;
    }
    return s;
}

uint64_t
NrNumerology::GetFirstSymbolAtOrAfter(Time t) const
{
    uint64_t s = GetSymbolContaining(t);
    return GetSymbolStart(s) == t ? s : s + 1;
}

Time
NrNumerology::TcToTime(int64_t tc)
{
    // 1 Tc = 1e9 / 1 966 080 000 ns = 3125 / 6144 ns; round half up.
    return NanoSeconds((tc * 3125 + 3072) / 6144);
}

} // namespace ns3
