#ifndef FABTWIN_THREE_GPP_INDOOR_FACTORY_PROPAGATION_LOSS_MODEL_H
#define FABTWIN_THREE_GPP_INDOOR_FACTORY_PROPAGATION_LOSS_MODEL_H

#include "three-gpp-indoor-factory-channel-condition-model.h"

#include "ns3/three-gpp-propagation-loss-model.h"

namespace ns3
{

/**
 * @brief 3GPP TR 38.901 indoor-factory (InF) path loss with shadowing.
 *
 * Path loss, TR 38.901 clause 7.4.1, Table 7.4.1-1 (InF rows), f_c in GHz, d_3D in m:
 *
 *   LOS (all):  PL_LOS = 31.84 + 21.50 log10(d_3D) + 19.00 log10(f_c),           sigma_SF = 4.3
 *   InF-SL:     PL = 33.00 + 25.5 log10(d_3D) + 20 log10(f_c),
 *               PL_NLOS = max(PL, PL_LOS),                                       sigma_SF = 5.7
 *   InF-DL:     PL = 18.6 + 35.7 log10(d_3D) + 20 log10(f_c),
 *               PL_NLOS = max(PL, PL_LOS, PL_InF-SL),                            sigma_SF = 7.2
 *   InF-SH:     PL = 32.4 + 23.0 log10(d_3D) + 20 log10(f_c),
 *               PL_NLOS = max(PL, PL_LOS),                                       sigma_SF = 5.9
 *   InF-DH:     PL = 33.63 + 21.9 log10(d_3D) + 20 log10(f_c),
 *               PL_NLOS = max(PL, PL_LOS),                                       sigma_SF = 4.0
 *
 * valid for 1 m <= d_3D <= 600 m. InF-HH is always LOS (Table 7.4.2-1) and has no NLOS formula.
 *
 * The LOS/NLOS state comes from the ChannelConditionModel. Unless one is given, the model creates
 * a ThreeGppIndoorFactoryChannelConditionModel with its own SubScenario, ClutterDensity,
 * ClutterHeight and ClutterSize (TR 38.901 Table 7.4.2-1), and forwards later changes of those
 * attributes to it. Shadow fading (log-normal, the sigma_SF above) and its spatial correlation
 * (exponential, TR 38.901 clause 7.4.4 / 7.6.3.1, correlation distance 10 m in LOS and NLOS from
 * Table 7.5-6 Part-3) are ns-3's ThreeGppPropagationLossModel machinery, per link, enabled by
 * ShadowingEnabled. Frequency (Hz) and EnforceParameterRanges are ns-3's attributes too.
 *
 * Below d_3D = 1 m the loss is evaluated at 1 m (a floor, outside TR 38.901); above 600 m the
 * formulas are extrapolated with a warning. With EnforceParameterRanges both abort.
 */
class ThreeGppIndoorFactoryPropagationLossModel : public ThreeGppPropagationLossModel
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    ThreeGppIndoorFactoryPropagationLossModel();
    ~ThreeGppIndoorFactoryPropagationLossModel() override;

    /**
     * @brief The LOS path loss of Table 7.4.1-1 at the model's Frequency.
     * @param distance3d the 3D distance in m
     * @return the path loss in dB (no shadowing)
     */
    double ComputeLosPathLoss(double distance3d) const;

    /**
     * @brief The NLOS path loss of Table 7.4.1-1 at the model's Frequency, including its max()
     * combination rule.
     * @param distance3d the 3D distance in m
     * @return the path loss in dB (no shadowing)
     */
    double ComputeNlosPathLoss(double distance3d) const;

    /**
     * @brief The shadow-fading standard deviation of Table 7.4.1-1.
     * @param cond LOS or NLOS
     * @return sigma_SF in dB
     */
    double GetShadowingStdDb(ChannelCondition::LosConditionValue cond) const;

    /// @param s the sub-scenario (forwarded to an InF channel condition model)
    void SetSubScenario(InfSubScenario s);
    /// @return the sub-scenario
    InfSubScenario GetSubScenario() const;
    /// @param r the clutter density (forwarded to an InF channel condition model)
    void SetClutterDensity(double r);
    /// @return the clutter density of the InF channel condition model (or the stored one)
    double GetClutterDensity() const;
    /// @param hc the clutter height in m (forwarded to an InF channel condition model)
    void SetClutterHeight(double hc);
    /// @return the clutter height in m
    double GetClutterHeight() const;
    /// @param dClutter the clutter size in m (forwarded to an InF channel condition model)
    void SetClutterSize(double dClutter);
    /// @return the clutter size in m
    double GetClutterSize() const;

  protected:
    void NotifyConstructionCompleted() override;

  private:
    /**
     * Assigns the streams of the shadowing (and ns-3's unused O2I) random variables, then those
     * of the channel condition model, so that one AssignStreams() call fixes every draw.
     * @param stream first stream index
     * @return the number of streams used
     */
    int64_t DoAssignStreams(int64_t stream) override;
    double GetLossLos(Ptr<MobilityModel> a, Ptr<MobilityModel> b) const override;
    double GetLossNlos(Ptr<MobilityModel> a, Ptr<MobilityModel> b) const override;
    /// @return 0: InF links are indoor to indoor, no O2I penetration loss applies
    double GetO2iDistance2dIn() const override;
    double GetShadowingStd(Ptr<MobilityModel> a,
                           Ptr<MobilityModel> b,
                           ChannelCondition::LosConditionValue cond) const override;
    double GetShadowingCorrelationDistance(ChannelCondition::LosConditionValue cond) const override;

    /// @return the channel condition model if it is an InF one, else nullptr
    Ptr<ThreeGppIndoorFactoryChannelConditionModel> GetInfConditionModel() const;

    /**
     * @brief The 3D distance between a and b, floored at 1 m, range-checked.
     * @param a one end
     * @param b the other end
     * @return d_3D in m
     */
    double GetDistance3d(Ptr<MobilityModel> a, Ptr<MobilityModel> b) const;

    /// @param d3d distance in m @return the InF-SL NLOS formula (without its max()) in dB
    double PlSl(double d3d) const;
    /// @return 20 log10(f_c / 1 GHz)
    double FrequencyTerm20() const;

    InfSubScenario m_subScenario{InfSubScenario::DH}; //!< InF sub-scenario
    double m_clutterDensity{0.4};                     //!< r, for a created condition model
    double m_clutterHeight{6.0};                      //!< h_c in m, for a created condition model
    double m_clutterSize{2.0};                        //!< d_clutter in m, for a created model
};

} // namespace ns3

#endif // FABTWIN_THREE_GPP_INDOOR_FACTORY_PROPAGATION_LOSS_MODEL_H
