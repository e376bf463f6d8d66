#ifndef FABTWIN_THREE_GPP_INDOOR_FACTORY_CHANNEL_CONDITION_MODEL_H
#define FABTWIN_THREE_GPP_INDOOR_FACTORY_CHANNEL_CONDITION_MODEL_H

#include "ns3/channel-condition-model.h"

#include <ostream>
#include <string>

namespace ns3
{

/**
 * @brief The indoor-factory (InF) sub-scenarios of 3GPP TR 38.901, clause 7.2 (Table 7.2-4).
 *
 * The first letter is the clutter density (Sparse / Dense), the second the height of the base
 * station (or Wi-Fi AP) relative to the clutter (Low: below the clutter tops, High: above them).
 * InF-HH (both ends above the clutter) is always LOS (Table 7.4.2-1).
 */
enum class InfSubScenario : uint8_t
{
    SL, //!< InF-SL: sparse clutter, low BS
    DL, //!< InF-DL: dense clutter, low BS
    SH, //!< InF-SH: sparse clutter, high BS
    DH, //!< InF-DH: dense clutter, high BS
    HH  //!< InF-HH: high Tx, high Rx (both above the clutter)
};

/**
 * @param s a sub-scenario
 * @return its TR 38.901 name, e.g. "InF-DH"
 */
std::string InfSubScenarioName(InfSubScenario s);

/**
 * @param os the stream
 * @param s a sub-scenario
 * @return the stream, with the TR 38.901 name of s
 */
std::ostream& operator<<(std::ostream& os, InfSubScenario s);

/**
 * @brief LOS/NLOS state of a link in a 3GPP TR 38.901 indoor factory (InF).
 *
 * The LOS probability follows TR 38.901 clause 7.4.2, Table 7.4.2-1 (InF rows):
 *
 *   InF-SL, InF-DL:  P_LOS(d_2D) = exp(-d_2D / k_subsce),  k_subsce = -d_clutter / ln(1 - r)
 *   InF-SH, InF-DH:  P_LOS(d_2D) = exp(-d_2D / k_subsce),
 *                    k_subsce = -d_clutter / ln(1 - r) * (h_BS - h_UT) / (h_c - h_UT)
 *   InF-HH:          P_LOS = 1
 *
 * with r the clutter density, h_c the clutter height and d_clutter the typical clutter size (the
 * hall parameters of Table 7.2-4). The BS is the higher end of the link, the UT the lower one (as
 * in ns-3's other 3GPP models). The drawing, caching per link and re-drawing every UpdatePeriod are
 * ns-3's ThreeGppChannelConditionModel machinery. Both ends are inside the hall and TR 38.901 has
 * no penetration loss between them; links are marked O2O because ns-3 3.44 adds O2I building
 * penetration loss to NLOS links marked I2I.
 *
 * Extensions outside TR 38.901 (documented in docs/wifi.md):
 * - InF-SH/DH with the UT at or above the clutter height (h_UT >= h_c): the formula has no meaning
 *   there; the link is taken as LOS (P_LOS = 1), the limit of k_subsce -> infinity.
 * - Two ends at the same height in InF-SH/DH (station to station): the formula gives
 *   k_subsce = 0, so such links are NLOS; that is the table's value, not an extension, but worth
 *   knowing. A zero 2D distance is LOS.
 */
class ThreeGppIndoorFactoryChannelConditionModel : public ThreeGppChannelConditionModel
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    ThreeGppIndoorFactoryChannelConditionModel();
    ~ThreeGppIndoorFactoryChannelConditionModel() override;

    /**
     * @brief The TR 38.901 Table 7.4.2-1 LOS probability for a link.
     * @param distance2d the 2D (horizontal) distance between the ends, in m
     * @param hBs the height of the BS (AP) antenna, in m
     * @param hUt the height of the UT (station) antenna, in m
     * @return the probability that the link is LOS, in [0, 1]
     */
    double ComputeLosProbability(double distance2d, double hBs, double hUt) const;

    /**
     * @brief The k_subsce of TR 38.901 Table 7.4.2-1, in m (infinite when P_LOS = 1).
     * @param hBs the height of the BS (AP) antenna, in m
     * @param hUt the height of the UT (station) antenna, in m
     * @return k_subsce in m
     */
    double GetKSubsce(double hBs, double hUt) const;

    /// @param s the sub-scenario
    void SetSubScenario(InfSubScenario s);
    /// @return the sub-scenario
    InfSubScenario GetSubScenario() const;
    /// @param r the clutter density r, in [0, 1)
    void SetClutterDensity(double r);
    /// @return the clutter density r
    double GetClutterDensity() const;
    /// @param hc the effective clutter height h_c, in m
    void SetClutterHeight(double hc);
    /// @return the clutter height h_c, in m
    double GetClutterHeight() const;
    /// @param dClutter the typical clutter size d_clutter, in m
    void SetClutterSize(double dClutter);
    /// @return the clutter size d_clutter, in m
    double GetClutterSize() const;

  private:
    double ComputePlos(Ptr<const MobilityModel> a, Ptr<const MobilityModel> b) const override;
    ChannelCondition::O2iConditionValue ComputeO2i(Ptr<const MobilityModel> a,
                                                   Ptr<const MobilityModel> b) const override;

    InfSubScenario m_subScenario{InfSubScenario::DH}; //!< the InF sub-scenario
    double m_clutterDensity{0.4};                     //!< r, fraction of the floor covered
    double m_clutterHeight{6.0};                      //!< h_c, in m
    double m_clutterSize{2.0};                        //!< d_clutter, in m
};

} // namespace ns3

#endif // FABTWIN_THREE_GPP_INDOOR_FACTORY_CHANNEL_CONDITION_MODEL_H
