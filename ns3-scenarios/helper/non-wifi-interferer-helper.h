#ifndef FABTWIN_NON_WIFI_INTERFERER_HELPER_H
#define FABTWIN_NON_WIFI_INTERFERER_HELPER_H

#include "non-wifi-interferer.h"

#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/vector.h"

#include <string>
#include <vector>

namespace ns3
{

class SpectrumChannel;

/// The interferers installed by a NonWifiInterfererHelper.
using NonWifiInterfererContainer = std::vector<Ptr<NonWifiInterferer>>;

/**
 * @brief Installs non-Wi-Fi interferers (DutyCycledInterferer, NarrowbandInterferer,
 * BurstyInterferer) on nodes and a SpectrumChannel.
 *
 * Each interferer gets a NonCommunicatingNetDevice on its node (so it has a node context, as
 * ns-3's WaveformGeneratorHelper does) and transmits from the node's MobilityModel position.
 * Unless SetStartTime() was given a negative time, each interferer starts at the start time
 * (default 0 s).
 *
 * @code
 *   NonWifiInterfererHelper helper;
 *   helper.SetChannel(spectrumChannel);
 *   helper.SetInterferer("ns3::DutyCycledInterferer",
 *                        "DutyCycle", DoubleValue(0.5),
 *                        "TxPowerDbm", DoubleValue(20.0));
 *   auto oven = helper.InstallAt(Vector(10.0, 5.0, 1.0));
 *   stream += helper.AssignStreams(oven, stream);
 * @endcode
 */
class NonWifiInterfererHelper
{
  public:
    NonWifiInterfererHelper();

    /// @param channel the channel the interferers transmit on
    void SetChannel(Ptr<SpectrumChannel> channel);

    /**
     * @brief The kind of interferer and its attributes.
     * @tparam Ts the types of the name/value pairs
     * @param type the TypeId name, e.g. "ns3::BurstyInterferer"
     * @param args name/value pairs of attributes
     */
    template <typename... Ts>
    void SetInterferer(std::string type, Ts&&... args);

    /**
     * @brief Set one attribute of the interferers created from now on.
     * @param name attribute name
     * @param value attribute value
     */
    void SetInterfererAttribute(std::string name, const AttributeValue& value);

    /**
     * @param start absolute simulation time at which installed interferers start (a time already
     * past starts them at once); negative: do not start them (call NonWifiInterferer::Start()).
     */
    void SetStartTime(Time start);

    /**
     * @param node a node with a MobilityModel
     * @return the interferer installed on it
     */
    Ptr<NonWifiInterferer> Install(Ptr<Node> node) const;

    /**
     * @param nodes nodes with a MobilityModel each
     * @return one interferer per node
     */
    NonWifiInterfererContainer Install(const NodeContainer& nodes) const;

    /**
     * @brief Create a node at a fixed position (ConstantPositionMobilityModel) and install an
     * interferer on it.
     * @param position where the interferer is, in m
     * @return the interferer
     */
    Ptr<NonWifiInterferer> InstallAt(const Vector& position) const;

    /**
     * @param interferers the interferers
     * @param stream first stream index
     * @return the number of streams used
     */
    static int64_t AssignStreams(const NonWifiInterfererContainer& interferers, int64_t stream);

    /**
     * @param interferer one interferer
     * @param stream first stream index
     * @return the number of streams used
     */
    static int64_t AssignStreams(Ptr<NonWifiInterferer> interferer, int64_t stream);

  private:
    ObjectFactory m_factory;        //!< creates the interferers
    Ptr<SpectrumChannel> m_channel; //!< their channel
    Time m_startTime;               //!< when they start; negative: not started
};

template <typename... Ts>
void
NonWifiInterfererHelper::SetInterferer(std::string type, Ts&&... args)
{
    m_factory.SetTypeId(type);
    m_factory.Set(std::forward<Ts>(args)...);
}

} // namespace ns3

#endif // FABTWIN_NON_WIFI_INTERFERER_HELPER_H
