#ifndef FABTWIN_OBSS_BUILDER_H
#define FABTWIN_OBSS_BUILDER_H

#include "cell-description.h"

#include "ns3/event-id.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/spectrum-channel.h"
#include "ns3/wifi-net-device.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief An overlapping BSS (OBSS) in a factory cell: a foreign 802.11ax AP with stations around
 * it, on the cell's SpectrumChannel, generating its own traffic (saturated, periodic or Poisson,
 * uplink, downlink or both).
 *
 * Its devices are built before the cell's warm-up (they associate while the cell does) and its
 * traffic starts at a given time after it. Its packets are injected below IP
 * (WifiNetDevice::Send), like the cell's, and never reported to the twin: they appear only as the
 * cell's extra latency, loss, lower SINR and higher busy fraction.
 *
 * Co-channel (channel 0 or the cell's number): both BSSs decode each other's preambles (CCA at
 * -82 dBm, IEEE 802.11ax-2021 27.3.20.6.2) and share the medium through CSMA/CA. On another
 * channel: the OBSS's transmit spectrum mask (27.3.19.1; ns-3's WifiSpectrumValueHelper, modelled
 * out to 1.5 channel widths from the centre) leaks power into the cell's channel, which the cell's
 * PHYs add to their interference and, above -62 dBm, sense as CCA busy (energy detection).
 */
class ObssBss
{
  public:
    /// @param desc the OBSS from the cell description; @param index its position in the list
    ObssBss(ObssDescription desc, uint32_t index);

    /**
     * Creates the nodes and devices (an AP and desc.stations stations) on channel.
     * @param channel the cell's SpectrumChannel
     * @param cellWifi the cell's Wi-Fi settings (band, width, guard interval; channel number when
     *        the OBSS's is 0)
     * @throws std::invalid_argument if the channel number does not exist in the band and width
     */
    void Build(Ptr<SpectrumChannel> channel, const WifiDescription& cellWifi);

    /**
     * Assigns random streams to the devices and to the traffic generator.
     * @param stream the first stream index
     * @return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// @return true when every OBSS station is associated with the OBSS AP
    bool AllAssociated() const;

    /// Starts the traffic start_s after absolute simulation time at (twin time 0).
    void StartTraffic(Time at);

    /// @return packets the OBSS delivered (all streams) since StartTraffic
    uint64_t GetDeliveredPackets() const;

    /// @return the OBSS's devices, AP first
    const std::vector<Ptr<WifiNetDevice>>& GetDevices() const;

  private:
    /// One traffic stream: packets from device src to device dst.
    struct Stream
    {
        uint32_t src;
        uint32_t dst;
    };

    void Send(const Stream& s);
    void TopUp();
    void SendPeriodic(uint32_t stream);
    void SendPoisson(uint32_t stream);

    ObssDescription m_desc;
    uint32_t m_index;
    NodeContainer m_nodes;
    std::vector<Ptr<WifiNetDevice>> m_devices; ///< AP first
    std::vector<Stream> m_streams;
    Ptr<UniformRandomVariable> m_phase;   ///< start offsets of periodic/Poisson streams
    Ptr<ExponentialRandomVariable> m_gap; ///< Poisson gaps
    uint64_t m_delivered{0};
};

/**
 * Builds every OBSS of a cell description and assigns their streams.
 * @param descs the cell's OBSS list
 * @param channel the cell's SpectrumChannel
 * @param cellWifi the cell's Wi-Fi settings
 * @param stream in: the next free stream index; out: advanced past the streams used
 * @return the OBSSs, in description order
 */
std::vector<std::unique_ptr<ObssBss>> BuildObss(const std::vector<ObssDescription>& descs,
                                                Ptr<SpectrumChannel> channel,
                                                const WifiDescription& cellWifi,
                                                int64_t& stream);

/// @return the names ("obss[i]") of the OBSSs with a station not yet associated, comma-separated
std::string UnassociatedObss(const std::vector<std::unique_ptr<ObssBss>>& obss);

} // namespace ns3

#endif // FABTWIN_OBSS_BUILDER_H
