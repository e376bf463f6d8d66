#ifndef FABTWIN_NR_PROCESSING_TIMES_H
#define FABTWIN_NR_PROCESSING_TIMES_H

#include <cstdint>

namespace ns3
{

/**
 * @brief UE processing times of TS 38.214: PDSCH processing N1 (§5.3, Tables 5.3-1, 5.3-2) and
 * PUSCH preparation N2 (§6.4, Tables 6.4-1, 6.4-2), and the resulting T_proc,1 / T_proc,2 in Tc.
 *
 * T_proc,1 = (N1 + d1,1)(2048 + 144) κ 2^-mu Tc (§5.3; d1,2 = 0, no BWP switch; T_ext = 0, licensed
 * spectrum). T_proc,2 = (N2 + d2,1)(2048 + 144) κ 2^-mu Tc (§6.4; d2,2 = 0, T_ext = T_switch = 0).
 */
class NrProcessingTimes
{
  public:
    /**
     * @brief N1 in symbols.
     * @param mu numerology 0..3
     * @param capability 1 or 2 (capability 2 is defined for mu 0..2 only, Table 5.3-2)
     * @param dmrsAdditional false: dmrs-AdditionalPosition = pos0 (front-loaded DM-RS only);
     *        true: any other configuration (capability 1 only)
     * @return N1
     */
    static double GetN1(uint8_t mu, uint8_t capability, bool dmrsAdditional);
    /**
     * @brief N2 in symbols (Tables 6.4-1, 6.4-2).
     * @param mu numerology 0..3
     * @param capability 1 or 2 (capability 2: mu 0..2)
     * @return N2
     */
    static double GetN2(uint8_t mu, uint8_t capability);
    /**
     * @brief d1,1 of TS 38.214 §5.3.
     * @param mappingTypeB true for PDSCH mapping type B (mini-slot)
     * @param lastSymbolInSlot i, index in the slot of the PDSCH's last symbol (type A)
     * @param length L, PDSCH symbols (type B)
     * @param overlap d, symbols of overlap of the scheduling PDCCH with the PDSCH (type B)
     * @param capability 1 or 2
     * @param coreset3SameStart the PDCCH is in a 3-symbol CORESET starting with the PDSCH (type B,
     *        capability 2, L = 2)
     * @return d1,1
     */
    static uint32_t GetD11(bool mappingTypeB,
                           uint32_t lastSymbolInSlot,
                           uint32_t length,
                           uint32_t overlap,
                           uint8_t capability,
                           bool coreset3SameStart = false);
    /**
     * @brief T_proc,1 in Tc.
     * @param mu numerology
     * @param n1 N1 symbols
     * @param d11 d1,1
     * @return T_proc,1 in Tc
     */
    static int64_t GetTproc1Tc(uint8_t mu, double n1, uint32_t d11);
    /**
     * @brief T_proc,2 in Tc.
     * @param mu numerology
     * @param n2 N2 symbols
     * @param d21 d2,1: 0 if the first PUSCH symbol holds DM-RS only, else 1
     * @return T_proc,2 in Tc
     */
    static int64_t GetTproc2Tc(uint8_t mu, double n2, uint32_t d21);
};

} // namespace ns3

#endif // FABTWIN_NR_PROCESSING_TIMES_H
