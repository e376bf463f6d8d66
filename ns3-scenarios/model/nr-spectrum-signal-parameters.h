#ifndef FABTWIN_NR_SPECTRUM_SIGNAL_PARAMETERS_H
#define FABTWIN_NR_SPECTRUM_SIGNAL_PARAMETERS_H

#include "nr-mcs-table.h"

#include "ns3/packet.h"
#include "ns3/spectrum-signal-parameters.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @brief What an NR signal on the spectrum channel carries.
 *
 * Physical channels are abstracted to what the MAC exchanges: a PDSCH/PUSCH transport block
 * (with its scheduling PDCCH implied for the DL), a PDCCH with an uplink grant (DCI format 0_x,
 * TS 38.212 §7.3.1.1), and a PUCCH with SR or HARQ-ACK (UCI, TS 38.213 §9).
 */
struct NrSpectrumSignalParameters : public SpectrumSignalParameters
{
    /// Kind of signal.
    enum class Kind : uint8_t
    {
        DATA,     ///< PDSCH or PUSCH transport block
        UL_GRANT, ///< PDCCH carrying an UL grant
        SR,       ///< PUCCH scheduling request
        HARQ_ACK, ///< PUCCH HARQ-ACK
    };

    NrSpectrumSignalParameters() = default;
    /// @param p the parameters to copy
    NrSpectrumSignalParameters(const NrSpectrumSignalParameters& p) = default;
    Ptr<SpectrumSignalParameters> Copy() const override;

    Kind kind{Kind::DATA}; ///< what the signal carries
    uint16_t cellId{0};    ///< the cell
    uint16_t rnti{0};      ///< the UE the signal is from or for
    bool downlink{true};   ///< direction
    uint8_t harqId{0};     ///< HARQ process (DATA, UL_GRANT, HARQ_ACK)
    bool newData{true};    ///< new data indicator toggled: flush the soft buffer
    bool ack{false};       ///< HARQ_ACK: ACK (true) or NACK
    uint8_t mcs{0};        ///< DATA/UL_GRANT: MCS index
    NrMcsTable::Table table{NrMcsTable::Table::QAM64}; ///< DATA/UL_GRANT: MCS table
    uint32_t tbsBytes{0};                              ///< DATA/UL_GRANT: transport block size
    uint64_t startSymbol{0}; ///< absolute first symbol of this signal on air
    uint32_t numSymbols{0};  ///< symbols of this signal on air
    uint32_t firstRb{0};     ///< first RB of this signal on air
    uint32_t numRbs{0};      ///< RBs of this signal on air

    /// UL_GRANT: the PUSCH allocation it grants (DCI format 0_1 time/frequency fields).
    struct Allocation
    {
        uint64_t startSymbol{0}; ///< absolute first symbol of the PUSCH
        uint32_t numSymbols{0};  ///< PUSCH symbols
        uint32_t firstRb{0};     ///< first RB
        uint32_t numRbs{0};      ///< RBs
    };

    Allocation grant;        ///< UL_GRANT: the granted PUSCH
    uint32_t bufferBytes{0}; ///< DATA (UL): buffer status report carried (TS 38.321 §6.1.3.1)
    std::vector<Ptr<Packet>> sdus;   ///< DATA: the MAC SDUs of the transport block
    std::vector<uint16_t> protocols; ///< DATA: the L3 protocol number of each SDU
    double reportedSinr{0};         ///< HARQ_ACK: the UE's DL effective SINR (CSI stand-in), linear
    std::vector<int64_t> arrivalTc; ///< DATA: when each SDU reached the sender's MAC (Tc)
    int64_t firstTxTc{-1};          ///< DATA: start of the TB's first transmission (Tc)
    int64_t grantTc{-1};            ///< DATA (UL dynamic): end of the first grant's PDCCH (Tc)
    uint32_t txIndex{1};            ///< DATA: 1 for the first transmission, 2 for the first retx...
};

} // namespace ns3

#endif // FABTWIN_NR_SPECTRUM_SIGNAL_PARAMETERS_H
