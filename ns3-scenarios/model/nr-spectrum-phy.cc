#include "nr-spectrum-phy.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/isotropic-antenna-model.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-channel.h"
#include "ns3/spectrum-model.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrSpectrumPhy");
NS_OBJECT_ENSURE_REGISTERED(NrSpectrumPhy);

namespace
{
/// Boltzmann constant (J/K) times the reference temperature 290 K: thermal noise PSD in W/Hz.
constexpr double kKT = 1.380649e-23 * 290.0;

/**
 * One SpectrumModel per (carrier, RB width, RB count), shared by every PHY on that carrier, so a
 * MultiModelSpectrumChannel keeps one converter per foreign model instead of one per PHY.
 * @param fc carrier centre (Hz)
 * @param rbHz RB width (Hz)
 * @param n RB count
 * @return the model
 */
Ptr<const SpectrumModel>
GetRbModel(double fc, double rbHz, uint32_t n)
{
    static std::map<std::tuple<double, double, uint32_t>, Ptr<const SpectrumModel>> cache;
    auto key = std::make_tuple(fc, rbHz, n);
    auto it = cache.find(key);
    if (it != cache.end())
    {
        return it->second;
    }
    Bands bands;
    const double low = fc - n * rbHz / 2;
    for (uint32_t i = 0; i < n; ++i)
    {
        BandInfo b;
        b.fl = low + i * rbHz;
        b.fc = b.fl + rbHz / 2;
        b.fh = b.fl + rbHz;
        bands.push_back(b);
    }
    Ptr<const SpectrumModel> m = Create<SpectrumModel>(bands);
    cache[key] = m;
    return m;
}
} // namespace

TypeId
NrSpectrumPhy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrSpectrumPhy")
            .SetParent<SpectrumPhy>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrSpectrumPhy>()
            .AddAttribute("CarrierFrequency",
                          "Carrier centre frequency (Hz).",
                          DoubleValue(3.7e9),
                          MakeDoubleAccessor(&NrSpectrumPhy::m_carrierHz),
                          MakeDoubleChecker<double>(410e6, 52.6e9))
            .AddAttribute("UlCarrierFrequency",
                          "Uplink carrier centre frequency (Hz) for FDD (paired spectrum); 0 = "
                          "the same carrier as the downlink (TDD). A gNB receives on the UL and "
                          "sends on the DL carrier, a UE the other way round.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&NrSpectrumPhy::m_ulCarrierHz),
                          MakeDoubleChecker<double>(0, 52.6e9))
            .AddAttribute(
                "NumRbs",
                "Resource blocks of the carrier (transmission bandwidth N_RB, TS 38.101-1 "
                "Table 5.3.2-1: e.g. 51 for 20 MHz at 30 kHz, 106 for 40 MHz at 30 kHz).",
                UintegerValue(51),
                MakeUintegerAccessor(&NrSpectrumPhy::m_numRbs),
                MakeUintegerChecker<uint32_t>(1, 275))
            .AddAttribute("TxPower",
                          "Total transmit power (dBm); see SpreadOverCarrier.",
                          DoubleValue(23.0),
                          MakeDoubleAccessor(&NrSpectrumPhy::m_txPowerDbm),
                          MakeDoubleChecker<double>(-50, 60))
            .AddAttribute("NoiseFigure",
                          "Receiver noise figure (dB).",
                          DoubleValue(7.0),
                          MakeDoubleAccessor(&NrSpectrumPhy::m_noiseFigureDb),
                          MakeDoubleChecker<double>(0, 30))
            .AddAttribute("SpreadOverCarrier",
                          "true: transmit at the PSD of TxPower over the whole carrier whatever "
                          "the allocation (gNB); false: all of TxPower on the allocated RBs (UE).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&NrSpectrumPhy::m_spreadOverCarrier),
                          MakeBooleanChecker())
            .AddAttribute("Antenna",
                          "Antenna model (gain toward each peer); isotropic 0 dBi by default.",
                          PointerValue(),
                          MakePointerAccessor(&NrSpectrumPhy::m_antenna),
                          MakePointerChecker<AntennaModel>())
            .AddAttribute(
                "Numerology",
                "Numerology: RB width 12 * SCS.",
                PointerValue(),
                MakePointerAccessor(&NrSpectrumPhy::SetNumerology, &NrSpectrumPhy::GetNumerology),
                MakePointerChecker<NrNumerology>())
            .AddAttribute("ErrorModel",
                          "BLER model for received transport blocks.",
                          PointerValue(),
                          MakePointerAccessor(&NrSpectrumPhy::m_errorModel),
                          MakePointerChecker<NrErrorModel>())
            .AddTraceSource("RxEnd",
                            "End of a reception addressed to this PHY: cell, RNTI, kind, effective "
                            "SINR (dB), decoded.",
                            MakeTraceSourceAccessor(&NrSpectrumPhy::m_rxEndTrace),
                            "ns3::NrSpectrumPhy::RxEndTracedCallback");
    return tid;
}

NrSpectrumPhy::NrSpectrumPhy()
    : m_antenna(CreateObject<IsotropicAntennaModel>())
    , m_numerology(CreateObject<NrNumerology>())
    , m_errorModel(CreateObject<NrErrorModel>())
    , m_carrierHz(3.7e9)
    , m_numRbs(51)
    , m_txPowerDbm(23.0)
    , m_noiseFigureDb(7.0)
    , m_spreadOverCarrier(false)
    , m_ulCarrierHz(0.0)
{
    NS_LOG_FUNCTION(this);
}

NrSpectrumPhy::~NrSpectrumPhy() = default;

void
NrSpectrumPhy::DoDispose()
{
    m_device = nullptr;
    m_mobility = nullptr;
    m_channel = nullptr;
    m_antenna = nullptr;
    m_errorModel = nullptr;
    m_receptions.clear();
    m_softBuffers.clear();
    m_rxCallback = RxCallback();
    SpectrumPhy::DoDispose();
}

void
NrSpectrumPhy::SetDevice(Ptr<NetDevice> d)
{
    m_device = d;
}

Ptr<NetDevice>
NrSpectrumPhy::GetDevice() const
{
    return m_device;
}

void
NrSpectrumPhy::SetMobility(Ptr<MobilityModel> m)
{
    m_mobility = m;
}

Ptr<MobilityModel>
NrSpectrumPhy::GetMobility() const
{
    return m_mobility;
}

void
NrSpectrumPhy::SetChannel(Ptr<SpectrumChannel> c)
{
    m_channel = c;
}

void
NrSpectrumPhy::SetIdentity(uint16_t cellId, uint16_t rnti)
{
    m_cellId = cellId;
    m_rnti = rnti;
}

void
NrSpectrumPhy::SetNumerology(Ptr<NrNumerology> numerology)
{
    NS_ABORT_MSG_IF(!numerology, "NrSpectrumPhy: Numerology must not be null");
    m_numerology = numerology;
    m_model = nullptr;
}

Ptr<NrNumerology>
NrSpectrumPhy::GetNumerology() const
{
    return m_numerology;
}

Ptr<NrErrorModel>
NrSpectrumPhy::GetErrorModel() const
{
    return m_errorModel;
}

uint32_t
NrSpectrumPhy::GetNumRbs() const
{
    return m_numRbs;
}

void
NrSpectrumPhy::BuildSpectrumModel() const
{
    // A gNB (RNTI 0) receives the UL carrier and sends on the DL carrier; a UE the other way.
    const double ul = m_ulCarrierHz > 0 ? m_ulCarrierHz : m_carrierHz;
    const double rx = m_rnti == 0 ? ul : m_carrierHz;
    const double tx = m_rnti == 0 ? m_carrierHz : ul;
    m_model = GetRbModel(rx, m_numerology->GetRbBandwidthHz(), m_numRbs);
    m_txModel = GetRbModel(tx, m_numerology->GetRbBandwidthHz(), m_numRbs);
    m_noise = Create<SpectrumValue>(m_model);
    (*m_noise) = kKT * std::pow(10.0, m_noiseFigureDb / 10.0);
}

Ptr<const SpectrumModel>
NrSpectrumPhy::GetRxSpectrumModel() const
{
    if (!m_model)
    {
        BuildSpectrumModel();
    }
    return m_model;
}

Ptr<const SpectrumValue>
NrSpectrumPhy::GetNoisePsd() const
{
    GetRxSpectrumModel();
    return m_noise;
}

Ptr<Object>
NrSpectrumPhy::GetAntenna() const
{
    return m_antenna;
}

void
NrSpectrumPhy::SetRxCallback(RxCallback cb)
{
    m_rxCallback = cb;
}

int64_t
NrSpectrumPhy::AssignStreams(int64_t stream)
{
    return m_errorModel->AssignStreams(stream);
}

void
NrSpectrumPhy::Transmit(Ptr<NrSpectrumSignalParameters> params, Time duration)
{
    NS_LOG_FUNCTION(this << +static_cast<uint8_t>(params->kind) << duration);
    NS_ABORT_MSG_IF(!m_channel, "NrSpectrumPhy: no channel");
    NS_ABORT_MSG_IF(params->numRbs == 0 || params->firstRb + params->numRbs > m_numRbs,
                    "NrSpectrumPhy: RBs [" << params->firstRb << ", "
                                           << params->firstRb + params->numRbs << ") outside 0.."
                                           << m_numRbs);
    GetRxSpectrumModel();
    auto psd = Create<SpectrumValue>(m_txModel);
    const double watts = std::pow(10.0, (m_txPowerDbm - 30.0) / 10.0);
    const uint32_t spread = m_spreadOverCarrier ? m_numRbs : params->numRbs;
    const double perHz = watts / (spread * m_numerology->GetRbBandwidthHz());
    for (uint32_t rb = params->firstRb; rb < params->firstRb + params->numRbs; ++rb)
    {
        (*psd)[rb] = perHz;
    }
    params->psd = psd;
    params->duration = duration;
    params->txPhy = this;
    params->txAntenna = m_antenna;
    m_channel->StartTx(params);
}

void
NrSpectrumPhy::IntegrateAll()
{
    const Time now = Simulator::Now();
    if (!m_interference)
    {
        return;
    }
    for (auto& [id, rec] : m_receptions)
    {
        const double dt = (now - rec.lastUpdate).GetSeconds();
        if (dt <= 0)
        {
            continue;
        }
        for (size_t b = 0; b < rec.rxPsd->GetValuesN(); ++b)
        {
            const double s = (*rec.rxPsd)[b];
            if (s <= 0)
            {
                continue;
            }
            const double i = std::max((*m_interference)[b] - s, 0.0);
            const double sinr = s / ((*m_noise)[b] + i);
            rec.bitsTime += std::log2(1.0 + sinr) * dt;
            rec.rbTime += dt;
        }
        rec.lastUpdate = now;
    }
}

void
NrSpectrumPhy::StartRx(Ptr<SpectrumSignalParameters> params)
{
    NS_LOG_FUNCTION(this << params);
    GetRxSpectrumModel();
    if (!m_interference)
    {
        m_interference = Create<SpectrumValue>(m_model);
    }
    auto nr = DynamicCast<NrSpectrumSignalParameters>(params);
    if (nr && !Concerns(*nr))
    {
        return;
    }
    const bool forMe = nr && nr->cellId == m_cellId;
    IntegrateAll();
    Ptr<SpectrumValue> psd = params->psd->Copy();
    (*m_interference) += (*psd);
    Simulator::Schedule(params->duration, &NrSpectrumPhy::RemoveSignal, this, psd);
    if (!forMe)
    {
        return; // interference only (another cell or technology)
    }
    const uint64_t id = m_nextRxId++;
    m_receptions[id] = Reception{nr, psd, Simulator::Now(), 0, 0};
    Simulator::Schedule(params->duration, &NrSpectrumPhy::EndRx, this, id);
}

bool
NrSpectrumPhy::Concerns(const NrSpectrumSignalParameters& p) const
{
    if (p.cellId != m_cellId)
    {
        return true; // another cell: interference
    }
    // A signal of our own cell for someone else never overlaps a reception of ours: the scheduler
    // never gives one symbol both directions (TDD, TS 38.213 §11.1) nor puts UL and DL on one
    // carrier (FDD), and the allocations of one unit (PDCCHs included) are disjoint in RBs.
    // Ignoring it keeps a cell of n UEs from costing n^2 interference updates.
    return m_rnti == 0 ? !p.downlink : (p.downlink && p.rnti == m_rnti);
}

void
NrSpectrumPhy::RemoveSignal(Ptr<SpectrumValue> psd)
{
    IntegrateAll();
    (*m_interference) -= (*psd);
    for (size_t b = 0; b < m_interference->GetValuesN(); ++b)
    {
        if ((*m_interference)[b] < 0)
        {
            (*m_interference)[b] = 0; // rounding
        }
    }
}

void
NrSpectrumPhy::EndRx(uint64_t id)
{
    IntegrateAll();
    auto it = m_receptions.find(id);
    NS_ASSERT(it != m_receptions.end());
    Reception rec = it->second;
    m_receptions.erase(it);
    const double sinr = rec.rbTime > 0 ? std::pow(2.0, rec.bitsTime / rec.rbTime) - 1.0 : 0.0;
    auto p = rec.params;
    bool ok;
    if (p->kind == NrSpectrumSignalParameters::Kind::DATA)
    {
        auto& buf = m_softBuffers[{p->rnti, p->harqId}];
        if (p->newData)
        {
            buf.clear();
        }
        buf.push_back(sinr);
        ok = !m_errorModel->IsCorrupted(p->table, p->mcs, NrErrorModel::CombineChase(buf));
        if (ok)
        {
            buf.clear();
        }
    }
    else
    {
        ok = !m_errorModel->IsCorrupted(NrMcsTable::Table::QAM64_LOWSE, 0, sinr);
    }
    const double sinrDb = sinr > 0 ? 10 * std::log10(sinr) : -999.0;
    NS_LOG_DEBUG("cell " << m_cellId << " rnti " << p->rnti << " kind "
                         << +static_cast<uint8_t>(p->kind) << " SINR " << sinrDb << " dB "
                         << (ok ? "ok" : "lost"));
    m_rxEndTrace(m_cellId, p->rnti, static_cast<uint8_t>(p->kind), sinrDb, ok);
    if (!m_rxCallback.IsNull())
    {
        m_rxCallback(p, sinr, ok);
    }
}

} // namespace ns3
