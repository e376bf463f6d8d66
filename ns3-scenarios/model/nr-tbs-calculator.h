#ifndef FABTWIN_NR_TBS_CALCULATOR_H
#define FABTWIN_NR_TBS_CALCULATOR_H

#include <cstdint>

namespace ns3
{

/**
 * @brief Transport block size determination of TS 38.214 §5.1.3.2 (PDSCH; PUSCH uses the same
 * procedure, TS 38.214 §6.1.4.2), with every intermediate quantity exposed for tests and traces.
 */
class NrTbsCalculator
{
  public:
    /// Inputs of §5.1.3.2 for one transport block.
    struct Allocation
    {
        uint32_t nPrb;           ///< n_PRB, allocated PRBs
        uint32_t nSymbols;       ///< N^sh_symb, symbols of the PDSCH/PUSCH allocation in the slot
        uint32_t dmrsRePerPrb;   ///< N^PRB_DMRS, DM-RS REs per PRB in the allocation (CDM groups
                                 ///< without data included)
        uint32_t overheadPerPrb; ///< N^PRB_oh, xOverhead: 0, 6, 12 or 18
        uint8_t qm;              ///< modulation order
        double codeRate;         ///< target code rate R
        uint8_t layers;          ///< v, number of layers
    };

    /// Every step of the procedure.
    struct Steps
    {
        uint32_t nRePrime;   ///< N'_RE = 12 N^sh_symb - N^PRB_DMRS - N^PRB_oh (step 1)
        uint32_t nRe;        ///< N_RE = min(156, N'_RE) n_PRB (step 1)
        double nInfo;        ///< N_info = N_RE R Qm v (step 2)
        uint32_t n;          ///< the quantization exponent n (step 3 or 4)
        double nInfoPrime;   ///< N'_info, quantized N_info
        uint32_t codeBlocks; ///< C (1 in step 3)
        uint32_t tbs;        ///< the TBS in bits
    };

    /**
     * @brief Run §5.1.3.2 steps 1-4.
     * @param a the allocation
     * @return every step, TBS included (0 if N_RE is 0)
     */
    static Steps Compute(const Allocation& a);
    /// @param a the allocation @return the TBS in bits
    static uint32_t GetTbs(const Allocation& a);
    /**
     * @brief Table 5.1.3.2-1 (TBS for N_info <= 3824): the smallest entry >= nInfoPrime.
     * @param nInfoPrime N'_info
     * @return the TBS
     */
    static uint32_t LookupSmallTbs(double nInfoPrime);
    /// @return number of entries of Table 5.1.3.2-1 (93)
    static uint32_t GetSmallTbsTableSize();
    /// @param i index @return entry i of Table 5.1.3.2-1
    static uint32_t GetSmallTbsTableEntry(uint32_t i);
};

} // namespace ns3

#endif // FABTWIN_NR_TBS_CALCULATOR_H
