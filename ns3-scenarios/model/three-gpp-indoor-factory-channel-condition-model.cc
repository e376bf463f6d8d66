#include "three-gpp-indoor-factory-channel-condition-model.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ThreeGppIndoorFactoryChannelConditionModel");

NS_OBJECT_ENSURE_REGISTERED(ThreeGppIndoorFactoryChannelConditionModel);

std::string
InfSubScenarioName(InfSubScenario s)
{
    switch (s)
    {
        case InfSubScenario::SL:
            return "InF-SL";
        case InfSubScenario::DL:
            return "InF-DL";
        case InfSubScenario::SH:
            return "InF-SH";
        case InfSubScenario::DH:
            return "InF-DH";
        case InfSubScenario::HH:
            return "InF-HH";
    }
    return "InF-?";
}

std::ostream&
operator<<(std::ostream& os, InfSubScenario s)
{
    return os << InfSubScenarioName(s);
}

TypeId
ThreeGppIndoorFactoryChannelConditionModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ThreeGppIndoorFactoryChannelConditionModel")
            .SetParent<ThreeGppChannelConditionModel>()
            .SetGroupName("Propagation")
            .AddConstructor<ThreeGppIndoorFactoryChannelConditionModel>()
            .AddAttribute("SubScenario",
                          "InF sub-scenario of TR 38.901 Table 7.2-4: InF-SL, InF-DL, InF-SH, "
                          "InF-DH or InF-HH.",
                          EnumValue(InfSubScenario::DH),
                          MakeEnumAccessor<InfSubScenario>(
                              &ThreeGppIndoorFactoryChannelConditionModel::SetSubScenario,
                              &ThreeGppIndoorFactoryChannelConditionModel::GetSubScenario),
                          MakeEnumChecker(InfSubScenario::SL,
                                          "InF-SL",
                                          InfSubScenario::DL,
                                          "InF-DL",
                                          InfSubScenario::SH,
                                          "InF-SH",
                                          InfSubScenario::DH,
                                          "InF-DH",
                                          InfSubScenario::HH,
                                          "InF-HH"))
            .AddAttribute(
                "ClutterDensity",
                "Clutter density r: the fraction of the hall's floor covered by "
                "clutter (machines, racks), in [0, 1). TR 38.901 Table 7.2-4: sparse "
                "r < 0.4, dense r >= 0.4.",
                DoubleValue(0.4),
                MakeDoubleAccessor(&ThreeGppIndoorFactoryChannelConditionModel::SetClutterDensity,
                                   &ThreeGppIndoorFactoryChannelConditionModel::GetClutterDensity),
                MakeDoubleChecker<double>(0.0, 0.999999))
            .AddAttribute(
                "ClutterHeight",
                "Effective clutter height h_c in m (TR 38.901 Table 7.2-4: 0 to 10 m, "
                "below the ceiling). Used by InF-SH and InF-DH.",
                DoubleValue(6.0),
                MakeDoubleAccessor(&ThreeGppIndoorFactoryChannelConditionModel::SetClutterHeight,
                                   &ThreeGppIndoorFactoryChannelConditionModel::GetClutterHeight),
                MakeDoubleChecker<double>(0.0))
            .AddAttribute(
                "ClutterSize",
                "Typical clutter size d_clutter in m (TR 38.901 Table 7.2-4, e.g. 10 m "
                "for big machines, 2 m for small ones).",
                DoubleValue(2.0),
                MakeDoubleAccessor(&ThreeGppIndoorFactoryChannelConditionModel::SetClutterSize,
                                   &ThreeGppIndoorFactoryChannelConditionModel::GetClutterSize),
                MakeDoubleChecker<double>(0.0));
    return tid;
}

ThreeGppIndoorFactoryChannelConditionModel::ThreeGppIndoorFactoryChannelConditionModel()
{
    NS_LOG_FUNCTION(this);
}

ThreeGppIndoorFactoryChannelConditionModel::~ThreeGppIndoorFactoryChannelConditionModel()
{
    NS_LOG_FUNCTION(this);
}

void
ThreeGppIndoorFactoryChannelConditionModel::SetSubScenario(InfSubScenario s)
{
    m_subScenario = s;
}

InfSubScenario
ThreeGppIndoorFactoryChannelConditionModel::GetSubScenario() const
{
    return m_subScenario;
}

void
ThreeGppIndoorFactoryChannelConditionModel::SetClutterDensity(double r)
{
    NS_ABORT_MSG_IF(r < 0.0 || r >= 1.0, "ClutterDensity must be in [0, 1), got " << r);
    m_clutterDensity = r;
}

double
ThreeGppIndoorFactoryChannelConditionModel::GetClutterDensity() const
{
    return m_clutterDensity;
}

void
ThreeGppIndoorFactoryChannelConditionModel::SetClutterHeight(double hc)
{
    NS_ABORT_MSG_IF(hc < 0.0, "ClutterHeight must be >= 0 m, got " << hc);
    m_clutterHeight = hc;
}

double
ThreeGppIndoorFactoryChannelConditionModel::GetClutterHeight() const
{
    return m_clutterHeight;
}

void
ThreeGppIndoorFactoryChannelConditionModel::SetClutterSize(double dClutter)
{
    NS_ABORT_MSG_IF(dClutter < 0.0, "ClutterSize must be >= 0 m, got " << dClutter);
    m_clutterSize = dClutter;
}

double
ThreeGppIndoorFactoryChannelConditionModel::GetClutterSize() const
{
    return m_clutterSize;
}

double
ThreeGppIndoorFactoryChannelConditionModel::GetKSubsce(double hBs, double hUt) const
{
    constexpr double infinite = std::numeric_limits<double>::infinity();
    if (m_subScenario == InfSubScenario::HH || m_clutterDensity <= 0.0)
    {
        // InF-HH: P_LOS = 1 (TR 38.901 Table 7.4.2-1). r = 0: no clutter, ln(1 - r) = 0.
        return infinite;
    }
    // TR 38.901 Table 7.4.2-1, InF-SL and InF-DL: k_subsce = -d_clutter / ln(1 - r)
    const double kLow = -m_clutterSize / std::log(1.0 - m_clutterDensity);
    if (m_subScenario == InfSubScenario::SL || m_subScenario == InfSubScenario::DL)
    {
        return kLow;
    }
    // TR 38.901 Table 7.4.2-1, InF-SH and InF-DH:
    //   k_subsce = -d_clutter / ln(1 - r) * (h_BS - h_UT) / (h_c - h_UT)
    if (hUt >= m_clutterHeight)
    {
        // Outside TR 38.901 (the UT is above the clutter): no clutter can block the path.
        NS_LOG_LOGIC("UT at " << hUt << " m is not below the clutter height " << m_clutterHeight
                              << " m: LOS");
        return infinite;
    }
    return kLow * std::max(hBs - hUt, 0.0) / (m_clutterHeight - hUt);
}

double
ThreeGppIndoorFactoryChannelConditionModel::ComputeLosProbability(double distance2d,
                                                                  double hBs,
                                                                  double hUt) const
{
    const double k = GetKSubsce(hBs, hUt);
    if (distance2d <= 0.0 || std::isinf(k))
    {
        return 1.0;
    }
    if (k <= 0.0)
    {
        return 0.0;
    }
    // TR 38.901 Table 7.4.2-1, every InF sub-scenario but InF-HH: P_LOS = exp(-d_2D / k_subsce)
    return std::exp(-distance2d / k);
}

double
ThreeGppIndoorFactoryChannelConditionModel::ComputePlos(Ptr<const MobilityModel> a,
                                                        Ptr<const MobilityModel> b) const
{
    const Vector pa = a->GetPosition();
    const Vector pb = b->GetPosition();
    const double d2d = Calculate2dDistance(pa, pb);
    // The BS (AP) is the higher end, the UT the lower one, as in ns-3's other 3GPP models.
    const double hBs = std::max(pa.z, pb.z);
    const double hUt = std::min(pa.z, pb.z);
    const double pLos = ComputeLosProbability(d2d, hBs, hUt);
    NS_LOG_DEBUG(InfSubScenarioName(m_subScenario)
                 << " d2D=" << d2d << " hBS=" << hBs << " hUT=" << hUt << " P_LOS=" << pLos);
    return pLos;
}

ChannelCondition::O2iConditionValue
ThreeGppIndoorFactoryChannelConditionModel::ComputeO2i(Ptr<const MobilityModel> /* a */,
                                                       Ptr<const MobilityModel> /* b */) const
{
    // Both ends are inside the same hall (TR 38.901 clause 7.2, InF), and TR 38.901 has no
    // penetration loss between them. ns-3 3.44's ThreeGppPropagationLossModel adds O2I building
    // penetration loss to NLOS links marked I2I, so the links are marked O2O: the value under
    // which ns-3 adds no penetration loss.
    return ChannelCondition::O2iConditionValue::O2O;
}

} // namespace ns3
