#include "nr-tbs-calculator.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrTbsCalculator");

namespace
{

/// TS 38.214 Table 5.1.3.2-1: TBS for N_info <= 3824.
constexpr std::array<uint32_t, 93> kSmallTbs{
    24,   32,   40,   48,   56,   64,   72,   80,   88,   96,   104,  112,  120,  128,  136,  144,
    152,  160,  168,  176,  184,  192,  208,  224,  240,  256,  272,  288,  304,  320,  336,  352,
    368,  384,  408,  432,  456,  480,  504,  528,  552,  576,  608,  640,  672,  704,  736,  768,
    808,  848,  888,  928,  984,  1032, 1064, 1128, 1160, 1192, 1224, 1256, 1288, 1320, 1352, 1416,
    1480, 1544, 1608, 1672, 1736, 1800, 1864, 1928, 2024, 2088, 2152, 2216, 2280, 2408, 2472, 2536,
    2600, 2664, 2728, 2792, 2856, 2976, 3104, 3240, 3368, 3496, 3624, 3752, 3824};

} // namespace

uint32_t
NrTbsCalculator::GetSmallTbsTableSize()
{
    return kSmallTbs.size();
}

uint32_t
NrTbsCalculator::GetSmallTbsTableEntry(uint32_t i)
{
    return kSmallTbs.at(i);
}

uint32_t
NrTbsCalculator::LookupSmallTbs(double nInfoPrime)
{
    for (uint32_t t : kSmallTbs)
    {
        if (t >= nInfoPrime)
        {
            return t;
        }
    }
    NS_ABORT_MSG("NrTbsCalculator: N'_info " << nInfoPrime << " above Table 5.1.3.2-1");
    return 0;
}

NrTbsCalculator::Steps
NrTbsCalculator::Compute(const Allocation& a)
{
    NS_ABORT_MSG_IF(a.nSymbols == 0 || a.nSymbols > 14,
                    "NrTbsCalculator: nSymbols must be 1..14, got " << a.nSymbols);
    NS_ABORT_MSG_IF(a.layers == 0 || a.layers > 4, "NrTbsCalculator: layers must be 1..4");
    NS_ABORT_MSG_IF(a.codeRate <= 0 || a.codeRate >= 1, "NrTbsCalculator: code rate in (0,1)");
    Steps s{};
    // Step 1: REs per PRB and in the allocation (N'_RE capped at 156).
    const int32_t rePrime = 12 * static_cast<int32_t>(a.nSymbols) -
                            static_cast<int32_t>(a.dmrsRePerPrb) -
                            static_cast<int32_t>(a.overheadPerPrb);
    s.nRePrime = std::max(rePrime, 0);
    s.nRe = std::min<uint32_t>(156, s.nRePrime) * a.nPrb;
    if (s.nRe == 0)
    {
        return s;
    }
    // Step 2: unquantized information bits.
    s.nInfo = s.nRe * a.codeRate * a.qm * a.layers;
    if (s.nInfo <= 3824)
    {
        // Step 3: n = max(3, floor(log2 N_info) - 6), N'_info = max(24, 2^n floor(N_info / 2^n)),
        // TBS from Table 5.1.3.2-1.
        s.n = std::max(3, static_cast<int>(std::floor(std::log2(s.nInfo))) - 6);
        const double p = std::ldexp(1.0, s.n);
        s.nInfoPrime = std::max(24.0, p * std::floor(s.nInfo / p));
        s.codeBlocks = 1;
        s.tbs = LookupSmallTbs(s.nInfoPrime);
        return s;
    }
    // Step 4: n = floor(log2(N_info - 24)) - 5, N'_info = max(3840, 2^n round((N_info - 24) / 2^n))
    // with ties rounded up ("round" of §5.1.3.2 rounds half towards the next larger integer).
    s.n = static_cast<uint32_t>(std::floor(std::log2(s.nInfo - 24))) - 5;
    const double p = std::ldexp(1.0, s.n);
    s.nInfoPrime = std::max(3840.0, p * std::floor((s.nInfo - 24) / p + 0.5));
    const double bits = s.nInfoPrime + 24;
    if (a.codeRate <= 0.25)
    {
        s.codeBlocks = static_cast<uint32_t>(std::ceil(bits / 3816));
    }
    else if (s.nInfoPrime > 8424)
    {
        s.codeBlocks = static_cast<uint32_t>(std::ceil(bits / 8424));
    }
    else
    {
        s.codeBlocks = 1;
    }
    const double c8 = 8.0 * s.codeBlocks;
    s.tbs = static_cast<uint32_t>(c8 * std::ceil(bits / c8) - 24);
    return s;
}

uint32_t
NrTbsCalculator::GetTbs(const Allocation& a)
{
    return Compute(a).tbs;
}

} // namespace ns3
