#include "nr-processing-times.h"

#include "nr-numerology.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrProcessingTimes");

double
NrProcessingTimes::GetN1(uint8_t mu, uint8_t capability, bool dmrsAdditional)
{
    NS_ABORT_MSG_IF(mu > 3, "NrProcessingTimes: mu must be 0..3");
    if (capability == 1)
    {
        // TS 38.214 Table 5.3-1: PDSCH processing time, capability 1.
        static constexpr double pos0[] = {8, 10, 17, 20};
        static constexpr double other[] = {13, 13, 20, 24};
        return dmrsAdditional ? other[mu] : pos0[mu];
    }
    NS_ABORT_MSG_IF(capability != 2, "NrProcessingTimes: UE capability must be 1 or 2");
    NS_ABORT_MSG_IF(mu > 2, "NrProcessingTimes: capability 2 is defined for mu 0..2 (Table 5.3-2)");
    NS_ABORT_MSG_IF(dmrsAdditional,
                    "NrProcessingTimes: capability 2 N1 assumes dmrs-AdditionalPosition = pos0");
    // TS 38.214 Table 5.3-2: PDSCH processing time, capability 2 (FR1).
    static constexpr double cap2[] = {3, 4.5, 9};
    return cap2[mu];
}

double
NrProcessingTimes::GetN2(uint8_t mu, uint8_t capability)
{
    NS_ABORT_MSG_IF(mu > 3, "NrProcessingTimes: mu must be 0..3");
    if (capability == 1)
    {
        // TS 38.214 Table 6.4-1: PUSCH preparation time, capability 1.
        static constexpr double cap1[] = {10, 12, 23, 36};
        return cap1[mu];
    }
    NS_ABORT_MSG_IF(capability != 2, "NrProcessingTimes: UE capability must be 1 or 2");
    NS_ABORT_MSG_IF(mu > 2, "NrProcessingTimes: capability 2 is defined for mu 0..2 (Table 6.4-2)");
    // TS 38.214 Table 6.4-2: PUSCH preparation time, capability 2 (FR1).
    static constexpr double cap2[] = {5, 5.5, 11};
    return cap2[mu];
}

uint32_t
NrProcessingTimes::GetD11(bool mappingTypeB,
                          uint32_t lastSymbolInSlot,
                          uint32_t length,
                          uint32_t overlap,
                          uint8_t capability,
                          bool coreset3SameStart)
{
    if (!mappingTypeB)
    {
        // TS 38.214 §5.3, type A: if the last PDSCH symbol is the i-th symbol of the slot, i < 7,
        // d1,1 = 7 - i, else 0.
        return lastSymbolInSlot < 7 ? 7 - lastSymbolInSlot : 0;
    }
    if (capability == 1)
    {
        // TS 38.214 §5.3, type B, capability 1 (Rel-16): L >= 7: 0; 4 <= L <= 6: 7 - L;
        // L = 3: min(d, 1); L = 2: 3 + d.
        if (length >= 7)
        {
            return 0;
        }
        if (length >= 4)
        {
            return 7 - length;
        }
        if (length == 3)
        {
            return std::min<uint32_t>(overlap, 1);
        }
        return 3 + overlap;
    }
    // TS 38.214 §5.3, type B, capability 2: L >= 7: 0; 3 <= L <= 6: d; L = 2: 3 if the PDCCH is in
    // a 3-symbol CORESET with the same starting symbol as the PDSCH, else d.
    if (length >= 7)
    {
        return 0;
    }
    if (length == 2 && coreset3SameStart)
    {
        return 3;
    }
    return overlap;
}

int64_t
NrProcessingTimes::GetTproc1Tc(uint8_t mu, double n1, uint32_t d11)
{
    const int64_t sym = (2048 + 144) * NrNumerology::KAPPA >> mu;
    return std::llround((n1 + d11) * sym);
}

int64_t
NrProcessingTimes::GetTproc2Tc(uint8_t mu, double n2, uint32_t d21)
{
    const int64_t sym = (2048 + 144) * NrNumerology::KAPPA >> mu;
    return std::llround((n2 + d21) * sym);
}

} // namespace ns3
