#ifndef FABTWIN_NR_SPECTRUM_PHY_H
#define FABTWIN_NR_SPECTRUM_PHY_H

#include "nr-error-model.h"
#include "nr-numerology.h"
#include "nr-spectrum-signal-parameters.h"

#include "ns3/antenna-model.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/mobility-model.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/spectrum-phy.h"
#include "ns3/spectrum-value.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <list>
#include <map>

namespace ns3
{

class SpectrumChannel;

/**
 * @brief The NR physical layer of a gNB or UE on an ns-3 SpectrumChannel.
 *
 * The receive spectrum model has one band per resource block (12 subcarriers, TS 38.211
 * §4.4.4.1) around the receive carrier (FDD: a gNB receives UlCarrierFrequency, a UE
 * CarrierFrequency; TDD: both use CarrierFrequency); a MultiModelSpectrumChannel converts the
 * signals of other technologies (Wi-Fi, non-Wi-Fi interferers) onto it, so every signal on the
 * channel adds to the interference. For each NR signal addressed to this PHY, the PHY integrates
 * per-RB SINR = S / (N + I) over the signal's duration, piecewise between changes of the
 * interference, and reduces it to one capacity-equivalent effective SINR
 * (NrErrorModel::GetEffectiveSinr, extended over time). Data are then decoded with NrErrorModel
 * after chase combining with earlier transmissions of the same HARQ process; control (grant, SR,
 * HARQ-ACK) is decoded with the most robust MCS (table 3 MCS 0) as a stand-in for the PDCCH/PUCCH
 * formats.
 *
 * Transmissions are not blocked by reception (TDD timing is the MAC's business).
 */
class NrSpectrumPhy : public SpectrumPhy
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrSpectrumPhy();
    ~NrSpectrumPhy() override;

    // SpectrumPhy
    void SetDevice(Ptr<NetDevice> d) override;
    Ptr<NetDevice> GetDevice() const override;
    void SetMobility(Ptr<MobilityModel> m) override;
    Ptr<MobilityModel> GetMobility() const override;
    void SetChannel(Ptr<SpectrumChannel> c) override;
    Ptr<const SpectrumModel> GetRxSpectrumModel() const override;
    Ptr<Object> GetAntenna() const override;
    void StartRx(Ptr<SpectrumSignalParameters> params) override;

    /**
     * @brief Who this PHY listens to; also selects the receive carrier (gNB: UL, UE: DL), so call
     * it before adding the PHY to the channel.
     * @param cellId the cell
     * @param rnti the UE's RNTI, or 0 for a gNB (receives every UE of the cell)
     */
    void SetIdentity(uint16_t cellId, uint16_t rnti);
    /**
     * @brief Whether a signal of this PHY's own cell is meant for it: UL for a gNB, DL to its
     * RNTI for a UE. A same-cell signal for someone else never overlaps a reception of this PHY
     * (StartRx ignores it; NrSpectrumTransmitFilter keeps the channel from delivering it).
     * @param p an NR signal
     * @return true if p is of another cell (interference) or addressed to this PHY
     */
    bool Concerns(const NrSpectrumSignalParameters& p) const;
    /// @param numerology the numerology (sets RB width; also attribute Numerology)
    void SetNumerology(Ptr<NrNumerology> numerology);
    /// @return the numerology
    Ptr<NrNumerology> GetNumerology() const;
    /// @return the error model
    Ptr<NrErrorModel> GetErrorModel() const;
    /// @return number of resource blocks of the carrier
    uint32_t GetNumRbs() const;

    /**
     * @brief Send a signal now on RBs [firstRb, firstRb + numRbs): with SpreadOverCarrier, at the
     * PSD of TxPower over the whole carrier (a gNB); else with all of TxPower on the allocation
     * (a UE at maximum power; no power control).
     * @param params what to send (kind, addressing, allocation); psd, duration, txPhy, txAntenna
     *        are filled in here
     * @param duration how long
     */
    void Transmit(Ptr<NrSpectrumSignalParameters> params, Time duration);

    /// Callback on the end of a reception: parameters, effective SINR (linear), decoded OK.
    typedef Callback<void, Ptr<const NrSpectrumSignalParameters>, double, bool> RxCallback;
    /// @param cb called at the end of every reception addressed to this PHY
    void SetRxCallback(RxCallback cb);

    /**
     * @brief Thermal noise PSD of the receiver, kT * NF (W/Hz per band).
     * @return the noise PSD on the receive spectrum model
     */
    Ptr<const SpectrumValue> GetNoisePsd() const;

    /**
     * @brief Assign a fixed random variable stream number.
     * @param stream first stream index
     * @return number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// TracedCallback signature: cell, RNTI, kind, effective SINR (dB), decoded OK.
    typedef void (*RxEndTracedCallback)(
        uint16_t cellId, uint16_t rnti, uint8_t kind, double sinrDb, bool ok);

  protected:
    void DoDispose() override;

  private:
    /// One signal being received.
    struct Reception
    {
        Ptr<NrSpectrumSignalParameters> params; ///< the signal
        Ptr<SpectrumValue> rxPsd;               ///< its received PSD
        Time lastUpdate;                        ///< integrated up to here
        double bitsTime{0};                     ///< Σ over RBs and chunks of log2(1+SINR)·dt
        double rbTime{0};                       ///< Σ over RBs and chunks of dt
    };

    /// Build the RB spectrum model and noise PSD from the attributes.
    void BuildSpectrumModel() const;
    /// Integrate every ongoing reception up to now with the current interference.
    void IntegrateAll();
    /// @param id reception id: end of the reception
    void EndRx(uint64_t id);
    /// @param psd a signal's received PSD: it leaves the channel
    void RemoveSignal(Ptr<SpectrumValue> psd);

    Ptr<NetDevice> m_device;        ///< device
    Ptr<MobilityModel> m_mobility;  ///< mobility
    Ptr<SpectrumChannel> m_channel; ///< channel
    Ptr<AntennaModel> m_antenna;    ///< antenna
    Ptr<NrNumerology> m_numerology; ///< numerology
    Ptr<NrErrorModel> m_errorModel; ///< BLER
    double m_carrierHz;             ///< carrier centre frequency
    uint32_t m_numRbs;              ///< RBs of the carrier
    double m_txPowerDbm;            ///< total transmit power
    double m_noiseFigureDb;         ///< receiver noise figure
    bool m_spreadOverCarrier; ///< constant PSD over the carrier (gNB), else power on the allocation
    uint16_t m_cellId{0};     ///< cell
    uint16_t m_rnti{0};       ///< 0 for a gNB
    mutable Ptr<const SpectrumModel> m_model;   ///< RB spectrum model (lazy)
    mutable Ptr<const SpectrumModel> m_txModel; ///< RB model of the transmit carrier (lazy)
    double m_ulCarrierHz;                       ///< FDD uplink carrier, 0 = same as DL
    mutable Ptr<SpectrumValue> m_noise;         ///< noise PSD (lazy)
    Ptr<SpectrumValue> m_interference;          ///< sum of all received signals
    std::map<uint64_t, Reception> m_receptions; ///< ongoing receptions by id
    uint64_t m_nextRxId{0};                     ///< id counter
    /// HARQ soft buffers: (rnti, harqId) -> effective SINRs of earlier transmissions
    std::map<std::pair<uint16_t, uint8_t>, std::vector<double>> m_softBuffers;
    RxCallback m_rxCallback;                                                ///< to the MAC
    TracedCallback<uint16_t, uint16_t, uint8_t, double, bool> m_rxEndTrace; ///< trace
};

} // namespace ns3

#endif // FABTWIN_NR_SPECTRUM_PHY_H
