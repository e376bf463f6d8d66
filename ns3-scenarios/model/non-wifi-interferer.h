#ifndef FABTWIN_NON_WIFI_INTERFERER_H
#define FABTWIN_NON_WIFI_INTERFERER_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/spectrum-phy.h"
#include "ns3/spectrum-value.h"
#include "ns3/traced-value.h"

namespace ns3
{

class SpectrumChannel;
class SpectrumModel;

/**
 * @brief A transmit-only source of non-communicating energy on a SpectrumChannel.
 *
 * It transmits a flat power spectral density over [CenterFrequency - Bandwidth / 2,
 * CenterFrequency + Bandwidth / 2] with a total power of TxPowerDbm (isotropic, 0 dBi) whenever it
 * is on. Receivers on the channel (a SpectrumWifiPhy, an NR device, a SpectrumAnalyzer) see it as a
 * foreign signal: its energy adds to their interference, they never decode it. The signal is one
 * SpectrumModel band; a MultiModelSpectrumChannel converts it to each receiver's band layout
 * preserving power.
 *
 * Subclasses decide when it is on (DutyCycledInterferer, NarrowbandInterferer, BurstyInterferer)
 * by calling TurnOnFor() / TurnOnIndefinitely(). A long on period is sent as back-to-back signals
 * no longer than MaxSignalDuration, so path loss is re-evaluated as nodes move.
 *
 * The "On" trace source fires at every on/off transition.
 */
class NonWifiInterferer : public SpectrumPhy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    NonWifiInterferer();
    ~NonWifiInterferer() override;

    // SpectrumPhy
    void SetDevice(Ptr<NetDevice> d) override;
    Ptr<NetDevice> GetDevice() const override;
    void SetMobility(Ptr<MobilityModel> m) override;
    Ptr<MobilityModel> GetMobility() const override;
    void SetChannel(Ptr<SpectrumChannel> c) override;
    /// @return nullptr: an interferer receives nothing
    Ptr<const SpectrumModel> GetRxSpectrumModel() const override;
    /// @return nullptr: isotropic, 0 dBi
    Ptr<Object> GetAntenna() const override;
    /// Ignores everything it is given (transmit-only).
    void StartRx(Ptr<SpectrumSignalParameters> params) override;

    /**
     * @brief Start the on/off pattern now. Starting a running interferer does nothing.
     *
     * The PSD is built here from the current attribute values.
     */
    void Start();

    /**
     * @brief Stop the pattern. A signal already on the channel runs to its end (a transmitted
     * signal cannot be recalled); the "On" trace then reports off, and nothing more is sent.
     */
    void Stop();

    /// @return true while a signal of this interferer is on the channel
    bool IsOn() const;
    /// @return true between Start() and Stop()
    bool IsRunning() const;

    /// @return the transmit PSD (W/Hz) built at the last Start(), or nullptr before it
    Ptr<const SpectrumValue> GetTxPowerSpectralDensity() const;
    /// @return the centre frequency, in Hz
    double GetCenterFrequency() const;
    /// @return the occupied bandwidth, in Hz
    double GetBandwidth() const;
    /// @return the total transmit power, in dBm
    double GetTxPowerDbm() const;

    /**
     * Assign fixed random variable streams to the random variables of this interferer.
     * @param stream first stream index to use
     * @return the number of stream indices assigned
     */
    virtual int64_t AssignStreams(int64_t stream);

  protected:
    void DoDispose() override;

    /**
     * @brief Turn on for a duration; when it ends, NotifyOnPeriodEnd() is called (unless stopped).
     * @param duration how long to stay on (strictly positive)
     */
    void TurnOnFor(Time duration);

    /// @brief Turn on until Stop().
    void TurnOnIndefinitely();

    /// Begin the subclass's on/off pattern (called by Start()).
    virtual void DoStart() = 0;
    /// Cancel the subclass's pending events (called by Stop()).
    virtual void DoStop();
    /// An on period asked with TurnOnFor() has ended while running.
    virtual void NotifyOnPeriodEnd();

    double m_bandwidthHz{20e6}; //!< occupied bandwidth in Hz (an attribute of each subclass)

  private:
    /// Put the next signal (at most MaxSignalDuration long) on the channel.
    void SendSignal();
    /// The on period is over.
    void EndOnPeriod();

    Ptr<MobilityModel> m_mobility;  //!< where the interferer is
    Ptr<NetDevice> m_device;        //!< owning (non-communicating) device
    Ptr<SpectrumChannel> m_channel; //!< the channel it transmits on
    Ptr<SpectrumValue> m_txPsd;     //!< transmit PSD, W/Hz
    double m_centerFrequencyHz;     //!< centre frequency in Hz
    double m_txPowerDbm;            //!< total transmit power in dBm
    Time m_maxSignalDuration;       //!< longest single signal
    bool m_running{false};          //!< between Start() and Stop()
    bool m_onIndefinitely{false};   //!< on until Stop()
    Time m_onUntil;                 //!< end of the current on period
    Time m_signalEnd;               //!< end of the signal on the channel
    EventId m_nextSignalEvent;      //!< next SendSignal or EndOnPeriod
    EventId m_deferredStartEvent;   //!< a Start() waiting for the last signal
    TracedValue<bool> m_on{false};  //!< on/off state, traced
};

} // namespace ns3

#endif // FABTWIN_NON_WIFI_INTERFERER_H
