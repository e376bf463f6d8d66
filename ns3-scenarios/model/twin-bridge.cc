#include "twin-bridge.h"

#include "ns3/log.h"

#include <array>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TwinBridge");

using namespace twinproto;

namespace
{

/// Number of frames after the header that each request type must carry.
std::size_t
ExpectedFrames(MsgType type)
{
    switch (type)
    {
        case MsgType::HELLO:
        case MsgType::RESET:
            return 1;
        case MsgType::ADVANCE:
            return 4;
        case MsgType::CLOSE:
            return 0;
        default:
            throw ProtocolError("message type " + std::to_string(static_cast<int>(type)) +
                                " is not a request the twin may send");
    }
}

} // namespace

MsgType
TwinRequest::Type() const
{
    return static_cast<MsgType>(header.type);
}

std::string
TwinRequest::Text(std::size_t i) const
{
    if (i >= frames.size())
    {
        throw ProtocolError("missing text frame");
    }
    return std::string(static_cast<const char*>(frames[i].data()), frames[i].size());
}

TwinBridge::TwinBridge(const std::string& endpoint, int idleTimeoutMs)
    : m_context(1)
    , m_socket(m_context, zmq::socket_type::rep)
{
    m_socket.set(zmq::sockopt::linger, 0);
    if (idleTimeoutMs > 0)
    {
        m_socket.set(zmq::sockopt::rcvtimeo, idleTimeoutMs);
    }
    m_socket.connect(endpoint);
    NS_LOG_INFO("connected to " << endpoint);
}

std::optional<TwinRequest>
TwinBridge::Receive()
{
    std::vector<zmq::message_t> parts;
    while (true)
    {
        zmq::message_t part;
        auto got = m_socket.recv(part, zmq::recv_flags::none);
        if (!got)
        {
            if (parts.empty())
            {
                return std::nullopt; // idle timeout
            }
            throw ProtocolError("incomplete multipart message");
        }
        bool more = part.more();
        parts.push_back(std::move(part));
        if (!more)
        {
            break;
        }
    }
    TwinRequest req;
    if (parts[0].size() != sizeof(MessageHeader))
    {
        throw ProtocolError("frame 0 has " + std::to_string(parts[0].size()) +
                            " bytes; a MessageHeader has " + std::to_string(sizeof(MessageHeader)));
    }
    std::memcpy(&req.header, parts[0].data(), sizeof(MessageHeader));
    if (req.header.magic != kMagic)
    {
        throw ProtocolError("bad magic number: not a fabtwin bridge message");
    }
    if (req.header.version != kVersion)
    {
        throw ProtocolError("protocol version mismatch: fabtwin-ns3 speaks version " +
                            std::to_string(kVersion) + ", the twin sent version " +
                            std::to_string(req.header.version));
    }
    std::size_t expected = ExpectedFrames(req.Type());
    if (parts.size() - 1 != expected)
    {
        throw ProtocolError("message type " + std::to_string(req.header.type) + " needs " +
                            std::to_string(expected) + " frames after the header, got " +
                            std::to_string(parts.size() - 1));
    }
    for (std::size_t i = 1; i < parts.size(); ++i)
    {
        req.frames.push_back(std::move(parts[i]));
    }
    return req;
}

MessageHeader
TwinBridge::MakeHeader(MsgType type, int64_t timeNs)
{
    MessageHeader h{};
    h.magic = kMagic;
    h.version = kVersion;
    h.type = static_cast<uint16_t>(type);
    h.time_ns = timeNs;
    return h;
}

void
TwinBridge::SendText(MsgType type, const std::string& text)
{
    MessageHeader h = MakeHeader(type, 0);
    m_socket.send(zmq::buffer(&h, sizeof(h)), zmq::send_flags::sndmore);
    m_socket.send(zmq::buffer(text), zmq::send_flags::none);
}

void
TwinBridge::SendEmpty(MsgType type)
{
    MessageHeader h = MakeHeader(type, 0);
    m_socket.send(zmq::buffer(&h, sizeof(h)), zmq::send_flags::none);
}

void
TwinBridge::SendReport(int64_t nowNs,
                       const std::vector<DeliveryRecord>& deliveries,
                       const std::vector<DropRecord>& drops,
                       const std::vector<LinkStatsRecord>& stats,
                       const std::vector<TransmissionRecord>& transmissions)
{
    MessageHeader h = MakeHeader(MsgType::REPORT, nowNs);
    h.count0 = static_cast<uint32_t>(deliveries.size());
    h.count1 = static_cast<uint32_t>(drops.size());
    h.count2 = static_cast<uint32_t>(stats.size());
    h.count3 = static_cast<uint32_t>(transmissions.size());
    m_socket.send(zmq::buffer(&h, sizeof(h)), zmq::send_flags::sndmore);
    m_socket.send(zmq::buffer(deliveries), zmq::send_flags::sndmore);
    m_socket.send(zmq::buffer(drops), zmq::send_flags::sndmore);
    m_socket.send(zmq::buffer(stats), zmq::send_flags::sndmore);
    m_socket.send(zmq::buffer(transmissions), zmq::send_flags::none);
}

} // namespace ns3
