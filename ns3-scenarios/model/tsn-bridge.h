#ifndef FABTWIN_TSN_BRIDGE_H
#define FABTWIN_TSN_BRIDGE_H

#include "local-clock.h"
#include "time-aware-shaper.h"

#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <map>
#include <vector>

namespace ns3
{

/**
 * @brief A store-and-forward Ethernet bridge (IEEE 802.1Q-2018 clause 8) with a static filtering
 * database and, per egress port, an optional 802.1Qbv time-aware shaper (8.6.8.4).
 *
 * Ports are devices carrying Ethernet frames (EthernetLink). A frame received whole on a port is
 * looked up by destination address in the static filtering entries (8.8.1: the centralized
 * configuration knows every station), and after ProcessingDelay it is queued on the egress port:
 * in the port's TimeAwareShaper (traffic class from the TrafficClass callback) if the port has
 * one, else straight in the device's FIFO. Frames to an unknown address, or back out of their
 * ingress port, are discarded (Drop trace). No learning, no flooding, no VLANs, no spanning tree.
 * Frames to the reserved addresses 01-80-C2-00-00-00..0F (802.1Q-2018 8.6.3, Table 8-1; from
 * memory, not checked against the text) are never relayed: they go to the LinkLocal callback
 * (gPTP, 802.1AS-2020 11.3.4: 01-80-C2-00-00-0E, handled by the bridge's own PTP Instance).
 */
class TsnBridge : public Object
{
  public:
    /// Traffic class of a frame (the frame with its Ethernet header).
    typedef Callback<uint8_t, Ptr<const Packet>> TrafficClassCallback;
    /// A link-local frame arrived: (ingress port, the frame with its Ethernet header).
    typedef Callback<void, uint32_t, Ptr<const Packet>> LinkLocalCallback;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TsnBridge();
    ~TsnBridge() override;

    /**
     * Adds a port; the bridge takes the device's receive callback.
     * @param device a device carrying Ethernet frames
     * @return the port number (0, 1, ...)
     */
    uint32_t AddPort(Ptr<NetDevice> device);
    /**
     * Adds a static filtering entry.
     * @param address a station
     * @param port the port towards it
     */
    void AddStaticEntry(Mac48Address address, uint32_t port);
    /**
     * Gives a port a time-aware shaper, run on clock; its output goes to the port's device.
     * Call before Start().
     * @param port the port
     * @param gcl its gate control list
     * @param clock the bridge's clock
     * @param frameDuration time the port needs per frame (the Ethernet occupancy)
     * @return the shaper
     */
    Ptr<TimeAwareShaper> SetPortGates(uint32_t port,
                                      Ptr<GateControlList> gcl,
                                      Ptr<LocalClock> clock,
                                      TimeAwareShaper::FrameDurationCallback frameDuration);
    /// @param cb gives each forwarded frame's traffic class (default: 0)
    void SetTrafficClassCallback(TrafficClassCallback cb);
    /// @param cb receives the frames to reserved (link-local) addresses, which are not relayed
    void SetLinkLocalCallback(LinkLocalCallback cb);
    /// @brief Starts the port shapers.
    void Start();
    /// @param port a port @return its device
    Ptr<NetDevice> GetPort(uint32_t port) const;
    /// @return the number of ports
    uint32_t GetNPorts() const;
    /// @param port a port @return its shaper, or null
    Ptr<TimeAwareShaper> GetShaper(uint32_t port) const;

    /**
     * TracedCallback signature for forwarded and dropped frames.
     * @param frame the frame
     * @param port the egress port (forward) or the ingress port (drop)
     */
    typedef void (*FrameTracedCallback)(Ptr<const Packet> frame, uint32_t port);

  protected:
    void DoDispose() override;

  private:
    bool Receive(uint32_t ingress, Ptr<const Packet> frame);
    void Egress(uint32_t port, Ptr<Packet> frame);

    Time m_processingDelay;                      ///< reception to the egress queue
    std::vector<Ptr<NetDevice>> m_ports;         ///< by port number
    std::vector<Ptr<TimeAwareShaper>> m_shapers; ///< by port number (null: FIFO only)
    std::map<Mac48Address, uint32_t> m_fdb;      ///< static filtering entries
    TrafficClassCallback m_tc;                   ///< frame -> traffic class
    LinkLocalCallback m_linkLocal;               ///< reserved-address frames
    TracedCallback<Ptr<const Packet>, uint32_t> m_forwardTrace; ///< frame queued on a port
    TracedCallback<Ptr<const Packet>, uint32_t> m_dropTrace;    ///< frame discarded
};

} // namespace ns3

#endif // FABTWIN_TSN_BRIDGE_H
