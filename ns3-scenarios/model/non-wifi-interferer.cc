#include "non-wifi-interferer.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/net-device.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-channel.h"
#include "ns3/spectrum-model.h"
#include "ns3/spectrum-signal-parameters.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NonWifiInterferer");

NS_OBJECT_ENSURE_REGISTERED(NonWifiInterferer);

TypeId
NonWifiInterferer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NonWifiInterferer")
            .SetParent<SpectrumPhy>()
            .SetGroupName("Spectrum")
            .AddAttribute("CenterFrequency",
                          "Centre frequency of the emission, in Hz.",
                          DoubleValue(2.45e9),
                          MakeDoubleAccessor(&NonWifiInterferer::m_centerFrequencyHz),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("TxPowerDbm",
                          "Total transmit power over the whole bandwidth (EIRP, isotropic), "
                          "in dBm.",
                          DoubleValue(20.0),
                          MakeDoubleAccessor(&NonWifiInterferer::m_txPowerDbm),
                          MakeDoubleChecker<double>())
            .AddAttribute("MaxSignalDuration",
                          "Longest single signal put on the channel; longer on periods are sent "
                          "as back-to-back signals so that path loss follows moving receivers.",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&NonWifiInterferer::m_maxSignalDuration),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddTraceSource("On",
                            "On/off state: true while a signal of the interferer is on the "
                            "channel. Fires at every transition.",
                            MakeTraceSourceAccessor(&NonWifiInterferer::m_on),
                            "ns3::TracedValueCallback::Bool");
    return tid;
}

NonWifiInterferer::NonWifiInterferer()
{
    NS_LOG_FUNCTION(this);
}

NonWifiInterferer::~NonWifiInterferer()
{
    NS_LOG_FUNCTION(this);
}

void
NonWifiInterferer::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_nextSignalEvent.Cancel();
    m_deferredStartEvent.Cancel();
    m_running = false;
    m_mobility = nullptr;
    m_device = nullptr;
    m_channel = nullptr;
    m_txPsd = nullptr;
    SpectrumPhy::DoDispose();
}

void
NonWifiInterferer::SetDevice(Ptr<NetDevice> d)
{
    m_device = d;
}

Ptr<NetDevice>
NonWifiInterferer::GetDevice() const
{
    return m_device;
}

void
NonWifiInterferer::SetMobility(Ptr<MobilityModel> m)
{
    m_mobility = m;
}

Ptr<MobilityModel>
NonWifiInterferer::GetMobility() const
{
    return m_mobility;
}

void
NonWifiInterferer::SetChannel(Ptr<SpectrumChannel> c)
{
    m_channel = c;
}

Ptr<const SpectrumModel>
NonWifiInterferer::GetRxSpectrumModel() const
{
    return nullptr;
}

Ptr<Object>
NonWifiInterferer::GetAntenna() const
{
    return nullptr;
}

void
NonWifiInterferer::StartRx(Ptr<SpectrumSignalParameters> /* params */)
{
}

bool
NonWifiInterferer::IsOn() const
{
    return m_on;
}

bool
NonWifiInterferer::IsRunning() const
{
    return m_running;
}

Ptr<const SpectrumValue>
NonWifiInterferer::GetTxPowerSpectralDensity() const
{
    return m_txPsd;
}

double
NonWifiInterferer::GetCenterFrequency() const
{
    return m_centerFrequencyHz;
}

double
NonWifiInterferer::GetBandwidth() const
{
    return m_bandwidthHz;
}

double
NonWifiInterferer::GetTxPowerDbm() const
{
    return m_txPowerDbm;
}

int64_t
NonWifiInterferer::AssignStreams(int64_t /* stream */)
{
    return 0;
}

void
NonWifiInterferer::Start()
{
    NS_LOG_FUNCTION(this);
    if (m_running)
    {
        return;
    }
    if (m_on)
    {
        // Restarted while the last signal after a Stop() is still on the channel: start when it
        // ends, so that signals of one interferer never overlap.
        m_deferredStartEvent.Cancel();
        m_deferredStartEvent =
            Simulator::Schedule(m_signalEnd - Simulator::Now(), &NonWifiInterferer::Start, this);
        return;
    }
    NS_ABORT_MSG_IF(!m_channel, "NonWifiInterferer: no SpectrumChannel set");
    NS_ABORT_MSG_IF(!m_mobility, "NonWifiInterferer: no MobilityModel set");
    NS_ABORT_MSG_IF(m_bandwidthHz <= 0.0, "NonWifiInterferer: Bandwidth must be > 0 Hz");
    NS_ABORT_MSG_IF(m_centerFrequencyHz - m_bandwidthHz / 2 <= 0.0,
                    "NonWifiInterferer: the band reaches below 0 Hz (CenterFrequency "
                        << m_centerFrequencyHz << " Hz, Bandwidth " << m_bandwidthHz << " Hz)");

    // One flat band: PSD = P / B (W/Hz), so the integral over the band is the transmit power.
    BandInfo band;
    band.fl = m_centerFrequencyHz - m_bandwidthHz / 2;
    band.fc = m_centerFrequencyHz;
    band.fh = m_centerFrequencyHz + m_bandwidthHz / 2;
    auto model = Create<SpectrumModel>(Bands{band});
    m_txPsd = Create<SpectrumValue>(model);
    const double txPowerW = std::pow(10.0, (m_txPowerDbm - 30.0) / 10.0);
    (*m_txPsd)[0] = txPowerW / m_bandwidthHz;

    m_running = true;
    DoStart();
}

void
NonWifiInterferer::Stop()
{
    NS_LOG_FUNCTION(this);
    m_deferredStartEvent.Cancel();
    if (!m_running)
    {
        return;
    }
    m_running = false;
    DoStop();
    m_nextSignalEvent.Cancel();
    if (m_on)
    {
        // The signal on the channel cannot be recalled: off when it ends.
        m_nextSignalEvent = Simulator::Schedule(
            m_signalEnd - Simulator::Now(), &NonWifiInterferer::EndOnPeriod, this);
    }
}

void
NonWifiInterferer::TurnOnFor(Time duration)
{
    NS_LOG_FUNCTION(this << duration);
    NS_ASSERT_MSG(duration.IsStrictlyPositive(), "on period must be > 0");
    NS_ASSERT_MSG(!m_on, "already on");
    if (!m_running)
    {
        return;
    }
    m_onIndefinitely = false;
    m_onUntil = Simulator::Now() + duration;
    m_on = true;
    SendSignal();
}

void
NonWifiInterferer::TurnOnIndefinitely()
{
    NS_LOG_FUNCTION(this);
    NS_ASSERT_MSG(!m_on, "already on");
    if (!m_running)
    {
        return;
    }
    m_onIndefinitely = true;
    m_on = true;
    SendSignal();
}

void
NonWifiInterferer::SendSignal()
{
    const Time now = Simulator::Now();
    const Time left = m_onIndefinitely ? m_maxSignalDuration : m_onUntil - now;
    const Time duration = std::min(left, m_maxSignalDuration);

    auto params = Create<SpectrumSignalParameters>();
    params->duration = duration;
    params->psd = m_txPsd->Copy();
    params->txPhy = this;
    params->txAntenna = nullptr; // isotropic
    NS_LOG_LOGIC("signal of " << duration.As(Time::US) << " at " << m_txPowerDbm << " dBm");
    m_channel->StartTx(params);
    m_signalEnd = now + duration;

    if (m_onIndefinitely || m_signalEnd < m_onUntil)
    {
        m_nextSignalEvent = Simulator::Schedule(duration, &NonWifiInterferer::SendSignal, this);
    }
    else
    {
        m_nextSignalEvent = Simulator::Schedule(duration, &NonWifiInterferer::EndOnPeriod, this);
    }
}

void
NonWifiInterferer::EndOnPeriod()
{
    NS_LOG_FUNCTION(this);
    m_on = false;
    m_onIndefinitely = false;
    if (m_running)
    {
        NotifyOnPeriodEnd();
    }
}

void
NonWifiInterferer::DoStop()
{
}

void
NonWifiInterferer::NotifyOnPeriodEnd()
{
}

} // namespace ns3
