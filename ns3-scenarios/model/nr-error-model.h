#ifndef FABTWIN_NR_ERROR_MODEL_H
#define FABTWIN_NR_ERROR_MODEL_H

#include "nr-mcs-table.h"

#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @brief Transport-block error model: BLER of an MCS as a function of the effective SINR.
 *
 * Curve (a link-abstraction model choice, documented in docs/nr.md; not a 3GPP table):
 *  - Each MCS has a 10 % BLER threshold from Shannon capacity with an SNR gap Γ ("gap to capacity"
 *    of practical codes, e.g. Goldsmith, Wireless Communications, 2005, §9.3.2 / Cioffi's gap
 *    approximation): SINR_10% = Γ (2^SE - 1), SE = Qm R of the MCS table row.
 *  - Around it the BLER falls as a Gaussian tail in dB (the erfc waterfall of LDPC decoding):
 *    BLER(γ) = 0.5 erfc((γ_dB - γ50_dB) / (√2 σ)), γ50_dB = SINR_10%,dB - 1.2816 σ, so that
 *    BLER(SINR_10%) = 0.1 exactly. σ (dB) sets the steepness.
 *  - Effective SINR over resource blocks: capacity-equivalent mapping (MIESM with a Gaussian input
 *    alphabet), γ_eff = 2^(mean log2(1 + γ_i)) - 1.
 *  - HARQ with chase combining adds the effective SINRs of the transmissions of a TB (MRC).
 */
class NrErrorModel : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrErrorModel();

    /**
     * @brief SINR at which an MCS has 10 % BLER.
     * @param table MCS table
     * @param mcs MCS index
     * @return the SINR, linear
     */
    double GetSinrAt10Percent(NrMcsTable::Table table, uint8_t mcs) const;
    /**
     * @brief SINR at which an MCS reaches a given BLER (inverse of GetBler).
     * @param table MCS table
     * @param mcs MCS index
     * @param bler target BLER in (0, 1)
     * @return the SINR, linear
     */
    double GetSinrForBler(NrMcsTable::Table table, uint8_t mcs, double bler) const;
    /**
     * @brief BLER of one transmission of a transport block.
     * @param table MCS table
     * @param mcs MCS index
     * @param sinrEff effective SINR, linear
     * @return BLER in [0, 1]
     */
    double GetBler(NrMcsTable::Table table, uint8_t mcs, double sinrEff) const;
    /**
     * @brief Draw whether a transport block is lost, and fire the TbDecoded trace.
     * @param table MCS table
     * @param mcs MCS index
     * @param sinrEff effective SINR (after HARQ combining), linear
     * @return true if the transport block is in error
     */
    bool IsCorrupted(NrMcsTable::Table table, uint8_t mcs, double sinrEff);

    /**
     * @brief Capacity-equivalent effective SINR of per-RB SINRs.
     * @param sinrs linear SINR per resource block
     * @return the effective SINR, linear
     */
    static double GetEffectiveSinr(const std::vector<double>& sinrs);
    /**
     * @brief Chase combining of the transmissions of one TB (sum of effective SINRs).
     * @param sinrs linear effective SINR of each transmission
     * @return the combined SINR, linear
     */
    static double CombineChase(const std::vector<double>& sinrs);

    /**
     * @brief Assign a fixed random variable stream number.
     * @param stream first stream index
     * @return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /// TracedCallback signature: SINR (dB), MCS table, MCS, BLER, corrupted.
    typedef void (*TbDecodedCallback)(
        double sinrDb, uint8_t table, uint8_t mcs, double bler, bool lost);

  private:
    double m_gapDb;                       ///< implementation gap Γ in dB
    double m_sigmaDb;                     ///< curve spread σ in dB
    Ptr<UniformRandomVariable> m_uniform; ///< draws
    TracedCallback<double, uint8_t, uint8_t, double, bool> m_tbDecoded; ///< trace
};

} // namespace ns3

#endif // FABTWIN_NR_ERROR_MODEL_H
