#include "three-gpp-indoor-factory-propagation-loss-model.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ThreeGppIndoorFactoryPropagationLossModel");

NS_OBJECT_ENSURE_REGISTERED(ThreeGppIndoorFactoryPropagationLossModel);

namespace
{
// TR 38.901 Table 7.4.1-1, InF: applicability range of d_3D, in m.
constexpr double kMinDistance3dM = 1.0;
constexpr double kMaxDistance3dM = 600.0;
// TR 38.901 Table 7.5-6 Part-3 (InF): shadow-fading correlation distance in the horizontal plane,
// 10 m in LOS and in NLOS.
constexpr double kShadowingCorrelationDistanceM = 10.0;
} // namespace

TypeId
ThreeGppIndoorFactoryPropagationLossModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ThreeGppIndoorFactoryPropagationLossModel")
            .SetParent<ThreeGppPropagationLossModel>()
            .SetGroupName("Propagation")
            .AddConstructor<ThreeGppIndoorFactoryPropagationLossModel>()
            .AddAttribute("SubScenario",
                          "InF sub-scenario of TR 38.901 Table 7.2-4: InF-SL, InF-DL, InF-SH, "
                          "InF-DH or InF-HH. Selects the NLOS path loss and shadowing (Table "
                          "7.4.1-1) and the LOS probability (Table 7.4.2-1).",
                          EnumValue(InfSubScenario::DH),
                          MakeEnumAccessor<InfSubScenario>(
                              &ThreeGppIndoorFactoryPropagationLossModel::SetSubScenario,
                              &ThreeGppIndoorFactoryPropagationLossModel::GetSubScenario),
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
                "Clutter density r in [0, 1) of the InF channel condition model "
                "(TR 38.901 Table 7.2-4: sparse r < 0.4, dense r >= 0.4).",
                DoubleValue(0.4),
                MakeDoubleAccessor(&ThreeGppIndoorFactoryPropagationLossModel::SetClutterDensity,
                                   &ThreeGppIndoorFactoryPropagationLossModel::GetClutterDensity),
                MakeDoubleChecker<double>(0.0, 0.999999))
            .AddAttribute(
                "ClutterHeight",
                "Effective clutter height h_c in m of the InF channel condition model "
                "(TR 38.901 Table 7.2-4: 0 to 10 m).",
                DoubleValue(6.0),
                MakeDoubleAccessor(&ThreeGppIndoorFactoryPropagationLossModel::SetClutterHeight,
                                   &ThreeGppIndoorFactoryPropagationLossModel::GetClutterHeight),
                MakeDoubleChecker<double>(0.0))
            .AddAttribute(
                "ClutterSize",
                "Typical clutter size d_clutter in m of the InF channel condition "
                "model (TR 38.901 Table 7.2-4).",
                DoubleValue(2.0),
                MakeDoubleAccessor(&ThreeGppIndoorFactoryPropagationLossModel::SetClutterSize,
                                   &ThreeGppIndoorFactoryPropagationLossModel::GetClutterSize),
                MakeDoubleChecker<double>(0.0));
    return tid;
}

ThreeGppIndoorFactoryPropagationLossModel::ThreeGppIndoorFactoryPropagationLossModel()
{
    NS_LOG_FUNCTION(this);
}

ThreeGppIndoorFactoryPropagationLossModel::~ThreeGppIndoorFactoryPropagationLossModel()
{
    NS_LOG_FUNCTION(this);
}

void
ThreeGppIndoorFactoryPropagationLossModel::NotifyConstructionCompleted()
{
    NS_LOG_FUNCTION(this);
    // Attributes are set by now; the parent's ChannelConditionModel attribute defaults to none.
    if (!GetChannelConditionModel())
    {
        auto condition = CreateObject<ThreeGppIndoorFactoryChannelConditionModel>();
        condition->SetSubScenario(m_subScenario);
        condition->SetClutterDensity(m_clutterDensity);
        condition->SetClutterHeight(m_clutterHeight);
        condition->SetClutterSize(m_clutterSize);
        SetChannelConditionModel(condition);
    }
    ThreeGppPropagationLossModel::NotifyConstructionCompleted();
}

Ptr<ThreeGppIndoorFactoryChannelConditionModel>
ThreeGppIndoorFactoryPropagationLossModel::GetInfConditionModel() const
{
    return DynamicCast<ThreeGppIndoorFactoryChannelConditionModel>(GetChannelConditionModel());
}

void
ThreeGppIndoorFactoryPropagationLossModel::SetSubScenario(InfSubScenario s)
{
    m_subScenario = s;
    if (auto c = GetInfConditionModel())
    {
        c->SetSubScenario(s);
    }
}

InfSubScenario
ThreeGppIndoorFactoryPropagationLossModel::GetSubScenario() const
{
    return m_subScenario;
}

void
ThreeGppIndoorFactoryPropagationLossModel::SetClutterDensity(double r)
{
    m_clutterDensity = r;
    if (auto c = GetInfConditionModel())
    {
        c->SetClutterDensity(r);
    }
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetClutterDensity() const
{
    auto c = GetInfConditionModel();
    return c ? c->GetClutterDensity() : m_clutterDensity;
}

void
ThreeGppIndoorFactoryPropagationLossModel::SetClutterHeight(double hc)
{
    m_clutterHeight = hc;
    if (auto c = GetInfConditionModel())
    {
        c->SetClutterHeight(hc);
    }
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetClutterHeight() const
{
    auto c = GetInfConditionModel();
    return c ? c->GetClutterHeight() : m_clutterHeight;
}

void
ThreeGppIndoorFactoryPropagationLossModel::SetClutterSize(double dClutter)
{
    m_clutterSize = dClutter;
    if (auto c = GetInfConditionModel())
    {
        c->SetClutterSize(dClutter);
    }
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetClutterSize() const
{
    auto c = GetInfConditionModel();
    return c ? c->GetClutterSize() : m_clutterSize;
}

double
ThreeGppIndoorFactoryPropagationLossModel::FrequencyTerm20() const
{
    // Table 7.4.1-1: f_c is the centre frequency normalised by 1 GHz; m_frequency is in Hz.
    return 20.0 * std::log10(m_frequency / 1e9);
}

double
ThreeGppIndoorFactoryPropagationLossModel::ComputeLosPathLoss(double distance3d) const
{
    // TR 38.901 Table 7.4.1-1, InF LOS: PL_LOS = 31.84 + 21.50 log10(d_3D) + 19.00 log10(f_c)
    return 31.84 + 21.50 * std::log10(distance3d) + 19.00 * std::log10(m_frequency / 1e9);
}

double
ThreeGppIndoorFactoryPropagationLossModel::PlSl(double d3d) const
{
    // TR 38.901 Table 7.4.1-1, InF-SL NLOS: PL = 33 + 25.5 log10(d_3D) + 20 log10(f_c)
    return 33.0 + 25.5 * std::log10(d3d) + FrequencyTerm20();
}

double
ThreeGppIndoorFactoryPropagationLossModel::ComputeNlosPathLoss(double distance3d) const
{
    const double plLos = ComputeLosPathLoss(distance3d);
    const double logD = std::log10(distance3d);
    switch (m_subScenario)
    {
        case InfSubScenario::SL:
            // TR 38.901 Table 7.4.1-1, InF-SL: PL_NLOS = max(PL_InF-SL, PL_LOS)
            return std::max(PlSl(distance3d), plLos);
        case InfSubScenario::DL:
        {
            // TR 38.901 Table 7.4.1-1, InF-DL: PL = 18.6 + 35.7 log10(d_3D) + 20 log10(f_c),
            // PL_NLOS = max(PL_InF-DL, PL_LOS, PL_InF-SL)
            const double pl = 18.6 + 35.7 * logD + FrequencyTerm20();
            return std::max({pl, plLos, PlSl(distance3d)});
        }
        case InfSubScenario::SH:
        {
            // TR 38.901 Table 7.4.1-1, InF-SH: PL = 32.4 + 23.0 log10(d_3D) + 20 log10(f_c),
            // PL_NLOS = max(PL_InF-SH, PL_LOS)
            const double pl = 32.4 + 23.0 * logD + FrequencyTerm20();
            return std::max(pl, plLos);
        }
        case InfSubScenario::DH:
        {
            // TR 38.901 Table 7.4.1-1, InF-DH: PL = 33.63 + 21.9 log10(d_3D) + 20 log10(f_c),
            // PL_NLOS = max(PL_InF-DH, PL_LOS)
            const double pl = 33.63 + 21.9 * logD + FrequencyTerm20();
            return std::max(pl, plLos);
        }
        case InfSubScenario::HH:
            NS_ABORT_MSG("InF-HH is always LOS (TR 38.901 Table 7.4.2-1) and has no NLOS path "
                         "loss; use a channel condition model that gives LOS");
    }
    NS_ABORT_MSG("unknown InF sub-scenario");
    return 0.0;
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetShadowingStdDb(
    ChannelCondition::LosConditionValue cond) const
{
    if (cond == ChannelCondition::LosConditionValue::LOS)
    {
        return 4.3; // TR 38.901 Table 7.4.1-1, InF LOS: sigma_SF = 4.3 dB
    }
    NS_ABORT_MSG_IF(cond != ChannelCondition::LosConditionValue::NLOS,
                    "InF has only LOS and NLOS conditions");
    switch (m_subScenario)
    {
        case InfSubScenario::SL:
            return 5.7; // TR 38.901 Table 7.4.1-1, InF-SL NLOS: sigma_SF = 5.7 dB
        case InfSubScenario::DL:
            return 7.2; // TR 38.901 Table 7.4.1-1, InF-DL NLOS: sigma_SF = 7.2 dB
        case InfSubScenario::SH:
            return 5.9; // TR 38.901 Table 7.4.1-1, InF-SH NLOS: sigma_SF = 5.9 dB
        case InfSubScenario::DH:
            return 4.0; // TR 38.901 Table 7.4.1-1, InF-DH NLOS: sigma_SF = 4.0 dB
        case InfSubScenario::HH:
            NS_ABORT_MSG("InF-HH is always LOS (TR 38.901 Table 7.4.2-1)");
    }
    return 0.0;
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetDistance3d(Ptr<MobilityModel> a,
                                                         Ptr<MobilityModel> b) const
{
    if (auto c = GetInfConditionModel())
    {
        NS_ABORT_MSG_IF(c->GetSubScenario() != m_subScenario,
                        "InF channel condition model is " << InfSubScenarioName(c->GetSubScenario())
                                                          << " but the loss model is "
                                                          << InfSubScenarioName(m_subScenario));
    }
    const double d3d = a->GetDistanceFrom(b);
    if (d3d < kMinDistance3dM)
    {
        NS_ABORT_MSG_IF(m_enforceRanges, "InF: d_3D = " << d3d << " m is below 1 m");
        NS_LOG_LOGIC("d_3D = " << d3d << " m below TR 38.901's 1 m: evaluated at 1 m");
        return kMinDistance3dM;
    }
    if (d3d > kMaxDistance3dM)
    {
        NS_ABORT_MSG_IF(m_enforceRanges, "InF: d_3D = " << d3d << " m is above 600 m");
        NS_LOG_WARN("d_3D = " << d3d << " m above TR 38.901's 600 m: extrapolated");
    }
    return d3d;
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetLossLos(Ptr<MobilityModel> a,
                                                      Ptr<MobilityModel> b) const
{
    const double loss = ComputeLosPathLoss(GetDistance3d(a, b));
    NS_LOG_DEBUG(InfSubScenarioName(m_subScenario) << " LOS loss " << loss << " dB");
    return loss;
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetLossNlos(Ptr<MobilityModel> a,
                                                       Ptr<MobilityModel> b) const
{
    const double loss = ComputeNlosPathLoss(GetDistance3d(a, b));
    NS_LOG_DEBUG(InfSubScenarioName(m_subScenario) << " NLOS loss " << loss << " dB");
    return loss;
}

int64_t
ThreeGppIndoorFactoryPropagationLossModel::DoAssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    // The parent's DoAssignStreams is private; these are all of its random variables (ns-3 3.44).
    m_normRandomVariable->SetStream(stream);
    m_randomO2iVar1->SetStream(stream + 1);
    m_randomO2iVar2->SetStream(stream + 2);
    m_normalO2iLowLossVar->SetStream(stream + 3);
    m_normalO2iHighLossVar->SetStream(stream + 4);
    int64_t used = 5;
    if (auto condition = GetChannelConditionModel())
    {
        used += condition->AssignStreams(stream + used);
    }
    return used;
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetO2iDistance2dIn() const
{
    return 0.0;
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetShadowingStd(
    Ptr<MobilityModel> /* a */,
    Ptr<MobilityModel> /* b */,
    ChannelCondition::LosConditionValue cond) const
{
    return GetShadowingStdDb(cond);
}

double
ThreeGppIndoorFactoryPropagationLossModel::GetShadowingCorrelationDistance(
    ChannelCondition::LosConditionValue /* cond */) const
{
    return kShadowingCorrelationDistanceM;
}

} // namespace ns3
