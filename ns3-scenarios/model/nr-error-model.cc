#include "nr-error-model.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrErrorModel");
NS_OBJECT_ENSURE_REGISTERED(NrErrorModel);

namespace
{
/// Q^-1(0.1): the standard normal quantile with upper tail 0.1.
constexpr double kQinv10 = 1.2815515655446004;

/// @param db decibels @return linear
double
DbToLinear(double db)
{
    return std::pow(10.0, db / 10.0);
}

/// @param lin linear (> 0) @return decibels
double
LinearToDb(double lin)
{
    return 10.0 * std::log10(lin);
}

/**
 * Inverse of Q(x) = 0.5 erfc(x / √2) by bisection (monotone, |x| < 40 covers doubles).
 * @param p upper-tail probability in (0, 1)
 * @return x with Q(x) = p
 */
double
QInverse(double p)
{
    double lo = -40;
    double hi = 40;
    for (int i = 0; i < 200; ++i)
    {
        const double mid = 0.5 * (lo + hi);
        if (0.5 * std::erfc(mid / std::sqrt(2.0)) > p)
        {
            lo = mid;
        }
        else
        {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}
} // namespace

TypeId
NrErrorModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrErrorModel")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrErrorModel>()
            .AddAttribute("ImplementationGapDb",
                          "SNR gap to Shannon capacity at 10 % BLER (dB): an MCS of spectral "
                          "efficiency SE has 10 % BLER at SINR = gap * (2^SE - 1).",
                          DoubleValue(2.0),
                          MakeDoubleAccessor(&NrErrorModel::m_gapDb),
                          MakeDoubleChecker<double>(0.0, 10.0))
            .AddAttribute("CurveSigmaDb",
                          "Spread of the Gaussian-tail (erfc) BLER waterfall in dB; 10 % -> 1e-5 "
                          "BLER takes 2.98 sigma.",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&NrErrorModel::m_sigmaDb),
                          MakeDoubleChecker<double>(0.01, 10.0))
            .AddTraceSource("TbDecoded",
                            "A transport block was decoded: SINR (dB), MCS table, MCS, BLER, lost.",
                            MakeTraceSourceAccessor(&NrErrorModel::m_tbDecoded),
                            "ns3::NrErrorModel::TbDecodedCallback");
    return tid;
}

NrErrorModel::NrErrorModel()
    : m_gapDb(2.0)
    , m_sigmaDb(0.5)
    , m_uniform(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

double
NrErrorModel::GetSinrAt10Percent(NrMcsTable::Table table, uint8_t mcs) const
{
    const double se = NrMcsTable::GetRow(table, mcs).spectralEfficiency;
    return DbToLinear(m_gapDb) * (std::pow(2.0, se) - 1.0);
}

double
NrErrorModel::GetBler(NrMcsTable::Table table, uint8_t mcs, double sinrEff) const
{
    if (sinrEff <= 0)
    {
        return 1.0;
    }
    const double g50Db = LinearToDb(GetSinrAt10Percent(table, mcs)) - kQinv10 * m_sigmaDb;
    return 0.5 * std::erfc((LinearToDb(sinrEff) - g50Db) / (std::sqrt(2.0) * m_sigmaDb));
}

double
NrErrorModel::GetSinrForBler(NrMcsTable::Table table, uint8_t mcs, double bler) const
{
    NS_ABORT_MSG_IF(bler <= 0 || bler >= 1, "NrErrorModel: BLER must be in (0, 1), got " << bler);
    const double g50Db = LinearToDb(GetSinrAt10Percent(table, mcs)) - kQinv10 * m_sigmaDb;
    return DbToLinear(g50Db + QInverse(bler) * m_sigmaDb);
}

bool
NrErrorModel::IsCorrupted(NrMcsTable::Table table, uint8_t mcs, double sinrEff)
{
    const double bler = GetBler(table, mcs, sinrEff);
    const bool lost = m_uniform->GetValue() < bler;
    NS_LOG_DEBUG("SINR " << (sinrEff > 0 ? LinearToDb(sinrEff) : -999.0) << " dB MCS " << +mcs
                         << " BLER " << bler << (lost ? " lost" : " ok"));
    m_tbDecoded(
        sinrEff > 0 ? LinearToDb(sinrEff) : -999.0, static_cast<uint8_t>(table), mcs, bler, lost);
    return lost;
}

double
NrErrorModel::GetEffectiveSinr(const std::vector<double>& sinrs)
{
    NS_ABORT_MSG_IF(sinrs.empty(), "NrErrorModel: effective SINR of no resource blocks");
    double meanBits = 0;
    for (double s : sinrs)
    {
        meanBits += std::log2(1.0 + std::max(s, 0.0));
    }
    meanBits /= sinrs.size();
    return std::pow(2.0, meanBits) - 1.0;
}

double
NrErrorModel::CombineChase(const std::vector<double>& sinrs)
{
    double sum = 0;
    for (double s : sinrs)
    {
        sum += s;
    }
    return sum;
}

int64_t
NrErrorModel::AssignStreams(int64_t stream)
{
    m_uniform->SetStream(stream);
    return 1;
}

} // namespace ns3
